/* Test-only stand-in for bcryptprimitives.dll under Wine 8 (issue 14).
 *
 * Rust's std on Windows (1.78 and later) and the getrandom crate import
 * ProcessPrng from bcryptprimitives.dll, which Windows 10 and 11 have and
 * Wine 8 (Debian 12) does not: without it linli.exe does not even load.
 * scripts/windows-smoke.sh compiles this with x86_64-w64-mingw32-gcc and
 * puts the DLL beside linli.exe in its temporary folder, never in dist/.
 * Random bytes come from RtlGenRandom (advapi32!SystemFunction036), which
 * Wine implements.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE; /* on Windows, ProcessPrng always returns TRUE */
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
    (void)inst;
    (void)reason;
    (void)reserved;
    return TRUE;
}
