@echo off
rem Start file for linli (issue 14). Shipped in the Windows zip as a file
rem with a Chinese name; this file itself is kept pure ASCII (saved with
rem CRLF by scripts/package.sh) so that cmd.exe reads it the same under
rem any code page: cmd parses a .bat in the console's code page (936, GBK,
rem on Chinese Windows), and UTF-8 text in a .bat is misread there.
rem
rem What a batch file can set, and what it cannot:
rem  - code page: chcp would work, but linli does not need it. Rust writes
rem    to the console through WriteConsoleW (UTF-16) and crossterm reads
rem    keys (IME input included) through ReadConsoleInputW, so Chinese shows
rem    and types right under 936 as under 65001; and chcp 65001 can make the
rem    old console (conhost) on some Windows 10 systems switch to a font
rem    without Chinese. So the code page is left as Windows set it.
rem  - window size: "mode con" sets the old console's window and buffer
rem    (120x40: the larger layout linli is tested at; 80x24 also works).
rem    Windows Terminal (the default on Windows 11 22H2 and later, which
rem    sets WT_SESSION) ignores it for the window and would lose its
rem    scrollback, so there it is skipped.
rem  - font: cannot be chosen from a batch file. The old console uses the
rem    font set for it (NSimSun on Chinese Windows, which shows Chinese);
rem    if Chinese shows as boxes: title bar, right click, Properties, Font.
rem    Windows Terminal finds a Chinese font by itself.
setlocal
cd /d "%~dp0"
title linli
if not defined WT_SESSION mode con cols=120 lines=40 >nul 2>&1
"%~dp0linli.exe" %*
rem keep the window open when linli stopped with an error, so it can be read
if errorlevel 1 pause
endlocal
