//! Five years of the demo community's requests, each built with
//! `Request::create` and moved through its lifecycle with `Request::apply`
//! at plausible office-hour times.

use super::people::{ESTATES, Person, SURNAMES, Staff, Town};
use super::rng::{Rng, Table};
use crate::domain::category::Category;
use crate::domain::request::{NewRequest, limit_for};
use crate::domain::{
    Address, Categories, Channel, Move, Request, RequestId, Resident, ResidentId, Satisfaction, Urgency, WorkCalendar,
    WorkerId,
};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

// ---------------------------------------------------------------------------
// What requests are about

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Scope {
    /// In the resident's home: the location is their full address.
    Home,
    /// A common part of a building: `锦绣花园 3栋2单元`.
    Building,
    /// A place in the estate; `楼下` means below a building.
    Place(&'static str),
}

pub(super) struct Issue {
    pub(super) title: &'static str,
    pub(super) scope: Scope,
    pub(super) detail: &'static str,
    pub(super) fix: &'static str,
}

pub(super) const fn i(title: &'static str, scope: Scope, detail: &'static str, fix: &'static str) -> Issue {
    Issue { title, scope, detail, fix }
}

pub(super) struct Topic {
    pub(super) name: &'static str,
    pub(super) weight: u32,
    /// Chance (‰) a request is escalated to the street office.
    pub(super) escalate: u32,
    pub(super) issues: &'static [Issue],
    pub(super) asks: &'static [&'static str],
    pub(super) progress: &'static [&'static str],
    pub(super) departments: &'static [&'static str],
}

use Scope::{Building as B, Home as H, Place as P};

#[rustfmt::skip]
pub(super) const TOPICS: &[Topic] = &[
    Topic {
        name: "小修小补",
        weight: 220,
        escalate: 10,
        issues: &[
            i("单元门门禁损坏", B, "单元门门禁刷卡没反应，门一直关不上，外来人员随意进出", "已联系物业更换门禁读卡器，恢复正常"),
            i("下水道堵塞", B, "一楼下水道堵塞，污水从地漏往外冒，气味很大", "已联系物业疏通管道，排水恢复正常"),
            i("楼道扶手松动", B, "三楼到四楼的楼梯扶手松动，老人上下楼很危险", "物业已重新固定扶手"),
            i("单元门闭门器损坏", B, "单元门闭门器坏了，关门声音很大，还容易夹手", "已更换闭门器"),
            i("信报箱门脱落", B, "楼下信报箱有几个小门脱落了，信件容易丢失", "已修复信报箱"),
            i("楼道窗户玻璃破损", B, "楼道窗户玻璃碎了，刮风下雨时雨水灌进楼道", "已联系物业更换玻璃"),
            i("自来水管漏水", H, "家中进户水管接口漏水，自己关不住总阀", "物业维修人员已上门更换阀门"),
            i("健身器材损坏", P("健身广场"), "小区健身器材的转盘坏了，有小孩在上面玩，存在安全隐患", "已更换损坏部件，器材恢复使用"),
            i("电动车充电桩无法使用", P("充电棚"), "充电桩有一半刷卡没反应，居民只能把电瓶拎回家充", "已联系运营商检修，充电桩恢复使用"),
            i("楼道墙皮脱落", B, "楼道墙皮大片脱落，掉在楼梯上容易滑倒", "已清理脱落墙皮并重新粉刷"),
            i("雨棚破损有掉落风险", P("楼下"), "楼上住户的雨棚被大风吹坏，随时可能掉下来", "已联系业主和物业拆除破损雨棚"),
        ],
        asks: &["希望尽快维修", "请社区协调物业处理", "希望尽快派人来看看"],
        progress: &["已联系物业，约定明天上门", "已现场查看，需更换配件", "配件已订购，等待到货", "物业维修人员已到场"],
        departments: &["区住建局", "物业公司上级单位"],
    },
    Topic {
        name: "楼道照明",
        weight: 80,
        escalate: 5,
        issues: &[
            i("楼道灯不亮", B, "楼道灯坏了好几天，晚上上下楼看不清，老人担心摔倒", "已更换灯泡，照明恢复"),
            i("楼道声控灯失灵", B, "楼道声控灯怎么拍都不亮，晚上只能打手电上楼", "已更换声控开关"),
            i("地下车库照明灯损坏", P("地下车库"), "地下车库一排照明灯不亮，光线很暗，停车容易剐蹭", "物业已更换车库照明灯"),
            i("小区路灯不亮", P("主干道"), "小区主干道路灯坏了几盏，晚上散步的老人多，不安全", "已联系路灯管理所维修，路灯恢复"),
            i("楼道灯长明不灭", B, "楼道灯白天也一直亮着，浪费电", "已更换感应开关"),
        ],
        asks: &["希望尽快修好", "请物业尽快更换"],
        progress: &["已联系物业电工", "已现场查看，线路老化需更换"],
        departments: &["供电公司", "路灯管理所"],
    },
    Topic {
        name: "停车难",
        weight: 90,
        escalate: 80,
        issues: &[
            i("小区内乱停车堵住消防通道", P("消防通道"), "晚上有车辆停在消防通道上，救护车和消防车进不来", "已联系车主挪车，并设置禁停标识"),
            i("车位被长期占用", P("地面停车场"), "自家租的车位经常被外来车辆占用，找物业也没用", "物业已加装地锁并张贴提示"),
            i("外来车辆占用小区车位", P("北门"), "小区门口道闸坏了，外来车辆随意进出占用车位", "已督促物业修复道闸，加强门岗登记"),
            i("电动车停放在楼道", B, "楼道里停了好几辆电动车，还有人在楼道充电，存在火灾隐患", "已清理楼道电动车，张贴安全提示"),
            i("僵尸车长期占用车位", P("楼下"), "一辆破旧轿车停在楼下一年多没人动过，轮胎都瘪了", "已联系交警核实车主，车辆已拖离"),
            i("申请增设停车位", P("地面停车场"), "小区车多位少，晚上回来找不到地方停，希望规划更多车位", "已将闲置空地改建为停车位"),
            i("共享单车堵塞小区出入口", P("南门"), "共享单车堆在小区门口，轮椅和婴儿车过不去", "已联系运营企业清运，并划定停放区"),
        ],
        asks: &["希望社区协调解决", "请尽快处理", "希望加强管理"],
        progress: &["已联系物业核实情况", "已张贴挪车通知", "已与车主电话沟通"],
        departments: &["交警大队", "城管执法中队"],
    },
    Topic {
        name: "邻里纠纷",
        weight: 90,
        escalate: 30,
        issues: &[
            i("楼上漏水与邻居产生纠纷", H, "楼上卫生间漏水，自家天花板发霉，与楼上沟通多次未果", "经调解，楼上住户同意维修防水并赔偿"),
            i("楼上噪音扰民", H, "楼上住户经常半夜拖动家具，影响休息", "已上门沟通，双方达成谅解"),
            i("邻居在楼道堆放杂物", B, "对门邻居在楼道堆放纸箱和旧家具，影响通行", "已协调邻居清理杂物"),
            i("邻居装修噪音扰民", H, "隔壁装修中午和周末也在施工，家里有老人和小孩", "已告知装修时间规定，施工方承诺按时作业"),
            i("空调外机噪音纠纷", H, "邻居家空调外机正对卧室窗户，噪音大还滴水", "经协调，邻居已移装外机并加装接水管"),
            i("占用公共绿地种菜", P("中心花园"), "有住户把楼下绿地圈起来种菜，还施农家肥，气味大", "已劝导住户清除菜地，恢复绿化"),
            i("高空抛物", B, "楼上有人往下扔垃圾，差点砸到人", "已逐户宣传并张贴警示，物业加装监控"),
        ],
        asks: &["希望社区出面调解", "请社区帮忙协调"],
        progress: &["已分别约谈双方", "已约定周末在社区调解室调解", "已上门了解情况，双方情绪较大"],
        departments: &["辖区派出所", "街道司法所"],
    },
    Topic {
        name: "长者食堂",
        weight: 50,
        escalate: 5,
        issues: &[
            i("申请长者食堂用餐补贴", H, "老人年满八十岁，想申请长者食堂的用餐补贴", "已协助提交申请，补贴审核通过"),
            i("咨询长者食堂送餐上门", H, "老人腿脚不便，想问长者食堂能不能送餐上门", "已登记送餐服务，每日由志愿者送餐"),
            i("反映长者食堂菜品偏咸", P("长者食堂"), "老人反映长者食堂的菜偏咸偏油，不适合高血压老人", "已反馈运营方，增加少盐少油菜品"),
            i("申请办理长者助餐卡", H, "想给家里老人办一张助餐卡，不知道需要什么材料", "已协助办理助餐卡"),
            i("长者食堂排队时间长", P("长者食堂"), "中午长者食堂排队的人多，老人站久了吃不消", "已增加打餐窗口并设置等候座椅"),
        ],
        asks: &["希望社区帮忙办理", "请告知办理方式", "希望尽快改进"],
        progress: &["已与食堂运营方沟通", "申请材料已收齐"],
        departments: &["街道社事办"],
    },
    Topic {
        name: "低保救助",
        weight: 30,
        escalate: 20,
        issues: &[
            i("咨询低保申请条件", H, "家里收入低，想了解低保怎么申请、需要哪些材料", "已告知申请条件和所需材料，发放办事指南"),
            i("申请低保", H, "丈夫去年生病失去劳动能力，家庭收入很低，想申请低保", "已受理申请，入户调查后报街道审核通过"),
            i("低保年审材料提交", H, "低保年审需要提交的收入证明还没开好，担心超时", "已收齐年审材料并上报"),
            i("申请临时救助", H, "家里有人突发重病，医疗费用负担重，想申请临时救助", "已协助申请临时救助，救助金已发放"),
            i("低保金未按时到账", H, "这个月的低保金还没到账，家里等着用钱", "已向街道核实，系代发延迟，现已到账"),
        ],
        asks: &["希望社区帮忙办理", "请告知所需材料", "希望尽快核实"],
        progress: &["已入户调查家庭情况", "材料已报街道审核", "已通知居民补交材料"],
        departments: &["街道社事办", "区民政局"],
    },
    Topic {
        name: "文明养犬",
        weight: 60,
        escalate: 10,
        issues: &[
            i("有人遛狗不牵绳", P("中心花园"), "有居民早晚遛狗不牵绳，大狗追着小孩跑", "已找到犬主进行劝导，张贴文明养犬告示"),
            i("楼道内狗粪无人清理", B, "有人让狗在楼道里大小便，一直没人清理", "已联系物业清理，并上门提醒犬主"),
            i("邻居家犬只夜间吠叫", H, "隔壁家的狗每天晚上叫个不停，影响休息", "已上门沟通，犬主承诺加强看管"),
            i("大型犬在小区内散放", P("楼下"), "小区里有大型犬在绿地散放，居民不敢下楼", "已联合派出所上门核查，督促犬主规范养犬"),
            i("流浪狗聚集", P("垃圾站"), "垃圾站附近聚集了几只流浪狗，有居民被吓到", "已联系流浪动物救助站收容"),
        ],
        asks: &["希望社区加强管理", "请尽快处理"],
        progress: &["已查找犬主", "已在楼栋群内提醒文明养犬"],
        departments: &["辖区派出所", "城管执法中队"],
    },
    Topic {
        name: "老旧小区",
        weight: 80,
        escalate: 150,
        issues: &[
            i("屋顶漏水", H, "顶楼屋面防水层老化，下雨天家里漏水，墙面都泡坏了", "屋面防水已重做，不再漏水"),
            i("外墙脱落存在安全隐患", B, "外墙瓷砖松动脱落，楼下就是人行道，存在安全隐患", "已拉设警戒线，外墙已排险修复"),
            i("申请加装电梯", B, "楼里老人多，爬楼困难，单元住户想申请加装电梯", "已组织住户协商，申报材料已报送"),
            i("雨污管网改造进度咨询", P("主干道"), "小区雨污分流改造开挖好久了，想了解什么时候完工", "已向施工单位了解进度并答复居民"),
            i("楼道墙面开裂", B, "楼道墙面出现裂缝，越来越宽，住户担心房屋安全", "经专业机构检测属非结构性裂缝，已修补"),
            i("改造施工扰民", P("主干道"), "老旧小区改造施工早上六点就开始，噪音很大", "已约谈施工单位，调整施工时间"),
            i("雨天小区积水严重", P("北门"), "一下大雨小区路面就积水，老人出门要蹚水", "已疏通雨水管网，积水问题缓解"),
        ],
        asks: &["希望尽快维修", "希望纳入改造计划", "请社区向上反映"],
        progress: &["已现场查看并拍照", "已与施工单位沟通", "已纳入年度维修计划"],
        departments: &["区住建局", "街道城管办"],
    },
    Topic {
        name: "环境卫生",
        weight: 160,
        escalate: 10,
        issues: &[
            i("垃圾站清运不及时", P("垃圾站"), "垃圾站的垃圾桶满了溢出来，天热气味很大，招苍蝇", "已督促环卫公司增加清运频次"),
            i("楼道堆放杂物", B, "楼道里有人堆放旧家具和纸壳，既脏乱又有消防隐患", "已联系物业清理楼道杂物"),
            i("绿化带内垃圾无人清理", P("中心花园"), "绿化带里有很多塑料袋和烟头，很久没人打扫", "物业已组织保洁清理"),
            i("垃圾分类投放点异味大", P("垃圾分类亭"), "楼下垃圾分类投放点异味大，夏天尤其明显", "已增加冲洗消杀频次"),
            i("有人焚烧垃圾", P("围墙边"), "有人在小区空地焚烧垃圾和树叶，烟很呛", "已现场制止并清理，加强巡查"),
            i("建筑垃圾乱堆放", P("楼下"), "有住户装修后把建筑垃圾堆在楼下，一直没运走", "已督促装修户清运建筑垃圾"),
            i("化粪池满溢", P("楼下"), "化粪池满了往外冒，整栋楼都是臭味", "已联系清掏公司清掏化粪池"),
            i("下水道返味", B, "楼道下水道返臭味，家家户户都能闻到", "已疏通管道并加装防臭地漏"),
        ],
        asks: &["希望尽快清理", "请督促物业处理"],
        progress: &["已通知物业保洁", "已联系环卫所"],
        departments: &["环卫所", "城管执法中队"],
    },
    Topic {
        name: "政策咨询",
        weight: 100,
        escalate: 5,
        issues: &[
            i("咨询医保缴费", H, "想了解城乡居民医保今年的缴费标准和缴费方式", "已告知缴费标准，指导在手机上完成缴费"),
            i("咨询居住证办理", H, "外地来蓉工作，想问居住证怎么办理、需要什么材料", "已告知办理流程，开具居住证明"),
            i("咨询高龄津贴申领", H, "家里老人满八十岁了，想了解高龄津贴怎么申领", "已协助提交申领材料"),
            i("咨询退役军人优待证办理", H, "想了解退役军人优待证的申请流程和所需材料", "已协助线上申请优待证"),
            i("咨询独生子女父母奖励", H, "咨询独生子女父母奖励扶助的申领条件", "已告知政策并协助登记"),
            i("咨询新生儿落户", H, "孩子刚出生，想了解落户要准备哪些材料", "已告知所需材料和办理地点"),
            i("咨询养老金资格认证", H, "不会用手机做养老金资格认证，担心养老金停发", "已协助完成养老金资格认证"),
            i("开具居住证明", H, "孩子上学需要社区开具居住证明", "已核实情况并开具证明"),
        ],
        asks: &["请社区帮忙解答", "希望社区协助办理"],
        progress: &["已向街道便民服务中心确认政策", "已电话告知所需材料"],
        departments: &["街道便民服务中心", "区医保局"],
    },
    Topic {
        name: "其他",
        weight: 40,
        escalate: 10,
        issues: &[
            i("楼下飞线充电", B, "有住户从楼上拉电线下来给电动车充电，存在火灾隐患", "已劝导拆除飞线，引导到充电桩充电"),
            i("建议增设休息座椅", P("中心花园"), "小区里老人多，散步走累了没地方坐，希望增加几张座椅", "已在中心花园增设休息座椅"),
            i("申请使用社区活动室", P("党群服务中心"), "居民舞蹈队想借用社区活动室排练", "已协调活动室使用时间"),
            i("反映诈骗电话", H, "家里老人接到冒充公检法的电话，差点转账", "已联系派出所民警上门开展反诈宣传"),
            i("咨询社区活动报名", H, "想给孩子报名社区暑期托管班", "已登记报名信息"),
        ],
        asks: &["请社区协调处理", "希望社区帮忙"],
        progress: &["已了解情况", "已与相关单位联系"],
        departments: &["辖区派出所", "街道综治中心"],
    },
];

pub(super) const AFTER_ASSIGN: &[&str] = &[
    "已电话联系居民，约定明天上门",
    "已电话联系居民，了解具体情况",
    "居民电话未接通，已发短信告知",
    "已现场查看，拍照留存",
    "已联系物业，约定明天上门",
];
/// The same, when there is no resident to call.
pub(super) const AFTER_ASSIGN_ANON: &[&str] =
    &["已现场查看，拍照留存", "已联系物业，约定明天上门", "已通知物业到场处理"];
pub(super) const CHASE: &[&str] = &[
    "已催办",
    "已电话催办，对方答复正在处理",
    "居民再次来电询问进度，已解释",
    "已向街道报送情况说明",
    "已催办物业，尚未回复",
];
pub(super) const ESCALATE: &[&str] =
    &["涉及资金较大，需街道统筹解决", "需多部门联合处理，上报街道", "社区协调未果，上报街道"];
pub(super) const WITHDRAW: &[&str] =
    &["居民表示问题已自行解决", "居民撤回诉求", "重复登记，已合并处理", "居民已搬离，不再需要处理", "经核实情况不属实"];
pub(super) const CALLBACK_OK: &[&str] =
    &["电话回访，居民表示满意", "上门回访，居民对处理结果满意", "微信回访，居民表示满意"];
pub(super) const CALLBACK_BASIC: &[&str] = &["电话回访，居民表示基本满意", "居民表示基本满意，希望今后加强管理"];
pub(super) const CALLBACK_BAD: &[&str] =
    &["电话回访，居民表示问题仍未解决", "居民对处理结果不满意，要求重新处理", "居民反映问题又出现了"];
pub(super) const CALLBACK_ANON: &[&str] = &["匿名诉求，已现场复核，整改到位", "无联系人，网格员现场复核已处理"];
pub(super) const CALLBACK_12345: &[&str] = &["已电话回访来电人，并在12345平台回复", "已回访市民，12345工单已办结"];
pub(super) const REOPEN: &[&str] = &["回访不满意，重新办理", "问题复发，重新派单处理", "居民不满意，已约定再次上门"];

// ---------------------------------------------------------------------------
// Requests

pub(super) struct Ctx<'a> {
    pub(super) today: NaiveDate,
    pub(super) cal: &'a WorkCalendar,
    pub(super) cats: &'a Categories,
    pub(super) town: &'a Town,
    pub(super) staff: &'a Staff,
    pub(super) residents: &'a [Resident],
    pub(super) people: &'a [Person],
}

/// A category from the office's list with the texts to describe it.
pub(super) struct Cat<'a> {
    pub(super) cat: &'a Category,
    pub(super) topic: &'static Topic,
}

pub(super) fn topic_for(name: &str) -> &'static Topic {
    TOPICS.iter().find(|t| t.name == name).unwrap_or(&TOPICS[TOPICS.len() - 1])
}

/// Who brings requests: most residents now and then, a few again and again.
pub(super) struct Askers {
    pub(super) uniform_n: usize,
    /// Zipf-like weights over a shuffled order of residents.
    pub(super) order: Vec<usize>,
    pub(super) cum: Vec<u64>,
    /// Residents on minimum income, special hardship or with a disability.
    pub(super) needy: Vec<usize>,
    pub(super) elderly: Vec<usize>,
}

impl Askers {
    fn new(ctx: &Ctx, rng: &mut Rng) -> Askers {
        let n = ctx.residents.len();
        let mut order: Vec<usize> = (0..n).collect();
        for k in (1..n).rev() {
            order.swap(k, rng.index(k + 1));
        }
        let offset = (n as u64 / 300).max(5);
        let mut acc = 0u64;
        let cum = (0..n as u64)
            .map(|k| {
                acc += (1u64 << 32) / (k + offset);
                acc
            })
            .collect();
        let needy = (0..n)
            .filter(|&k| ctx.residents[k].tags.iter().any(|t| matches!(t.as_str(), "低保户" | "特困人员" | "残疾人")))
            .collect();
        let elderly = (0..n).filter(|&k| ctx.people[k].born < 1960).collect();
        Askers { uniform_n: n, order, cum, needy, elderly }
    }

    fn pick(&self, rng: &mut Rng, topic: &str) -> usize {
        let special: &[usize] = match topic {
            "低保救助" => &self.needy,
            "长者食堂" => &self.elderly,
            _ => &[],
        };
        if !special.is_empty() && rng.chance(750) {
            return rng.pick(special);
        }
        if rng.chance(700) {
            return rng.index(self.uniform_n);
        }
        let r = rng.below(*self.cum.last().unwrap_or(&0));
        self.order[self.cum.partition_point(|&c| c <= r).min(self.order.len() - 1)]
    }
}

pub(super) const CHANNELS_WORKDAY: &[(Channel, u32)] = &[
    (Channel::Visit, 300),
    (Channel::Phone, 250),
    (Channel::Hotline12345, 130),
    (Channel::WeChat, 155),
    (Channel::Patrol, 110),
    (Channel::DoorVisit, 55),
];

/// The office's hours: 8:30–12:00 and 14:00–17:30.
pub(super) const AM: (u32, u32) = (8 * 60 + 30, 12 * 60);
pub(super) const PM: (u32, u32) = (14 * 60, 17 * 60 + 30);

pub(super) fn hm(minutes: u32, second: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(minutes / 60, minutes % 60, second).unwrap_or(NaiveTime::MIN)
}

/// A random moment in office hours on `d`.
pub(super) fn office_time(rng: &mut Rng, d: NaiveDate) -> NaiveDateTime {
    let span = (AM.1 - AM.0) + (PM.1 - PM.0);
    let m = rng.range(0, span - 1);
    let minute = if m < AM.1 - AM.0 { AM.0 + m } else { PM.0 + m - (AM.1 - AM.0) };
    d.and_time(hm(minute, rng.range(0, 59)))
}

/// Spreads `n` requests over the five years up to `today`, more in later
/// years and in summer, on working days (weekends: 12345 transfers only).
/// Returns sorted times, each with whether it fell on a working day.
pub(super) fn request_times(ctx: &Ctx, n: usize, rng: &mut Rng) -> Vec<(NaiveDateTime, bool)> {
    let start = ctx.today.checked_sub_months(Months::new(60)).unwrap_or(ctx.today) + Duration::days(1);
    let days: Vec<NaiveDate> = start.iter_days().take_while(|d| *d <= ctx.today).collect();
    let len = days.len().max(1) as u64;
    let mut acc = 0u64;
    let mut cum = Vec::with_capacity(days.len());
    let mut working = Vec::with_capacity(days.len());
    for (k, d) in days.iter().enumerate() {
        let w = ctx.cal.is_working_day(*d);
        let growth = 1000 + 350 * k as u64 / len;
        let season = if (6..=8).contains(&d.month()) { 115 } else { 100 };
        let kind = if w { 100 } else { 6 };
        acc += growth * season * kind * u64::from(rng.range(75, 125)) / 1000;
        cum.push(acc);
        working.push(w);
    }
    let mut times = Vec::with_capacity(n);
    let mut day = 0usize;
    for k in 0..n as u64 {
        // evenly spaced quantiles of the day weights
        let target = ((2 * k + 1) * acc) / (2 * n as u64);
        while day + 1 < cum.len() && cum[day] <= target {
            day += 1;
        }
        let d = days[day];
        let t = if working[day] {
            office_time(rng, d)
        } else {
            d.and_time(hm(rng.range(9 * 60, 17 * 60), rng.range(0, 59)))
        };
        times.push((t, working[day]));
    }
    times.sort_by_key(|(t, _)| *t);
    times
}

/// The grid worker of a building's grid.
pub(super) fn grid_worker(ctx: &Ctx, building: usize) -> WorkerId {
    let g = &ctx.staff.grid_workers;
    g[ctx.town.buildings[building].grid.min(g.len() - 1)]
}

/// The request as it moves: the cursor time never goes back, and no move
/// happens after the end of `today`.
pub(super) struct Sim<'a> {
    pub(super) r: Request,
    pub(super) t: NaiveDateTime,
    pub(super) end: NaiveDateTime,
    pub(super) limit: u32,
    pub(super) cal: &'a WorkCalendar,
    pub(super) live: bool,
}

impl Sim<'_> {
    /// A time `wd` working days after the cursor (0: later the same working day).
    fn later(&self, wd: u32, rng: &mut Rng) -> NaiveDateTime {
        let t = self.t;
        if wd > 0 {
            return office_time(rng, self.cal.add_working_days(t.date(), wd));
        }
        let next_morning = |rng: &mut Rng| {
            let d = self.cal.add_working_days(t.date(), 1);
            d.and_time(hm(rng.range(AM.0, AM.0 + 150), rng.range(0, 59)))
        };
        if !self.cal.is_working_day(t.date()) {
            return next_morning(rng);
        }
        let nt = t + Duration::minutes(i64::from(rng.range(10, 150)));
        let minute = nt.hour() * 60 + nt.minute();
        if nt.date() != t.date() || minute >= PM.1 {
            next_morning(rng)
        } else if (AM.1..PM.0).contains(&minute) {
            nt.date().and_time(hm(PM.0 + rng.range(0, 30), rng.range(0, 59)))
        } else {
            nt
        }
    }

    /// A time on the working day `wd` after the request was logged, or just
    /// after the cursor if that is already past.
    fn on_day(&self, wd: u32, rng: &mut Rng) -> NaiveDateTime {
        let d = self.cal.add_working_days(self.r.logged_at.date(), wd);
        if d > self.t.date() { office_time(rng, d) } else { self.later(0, rng) }
    }

    fn next(&mut self, at: NaiveDateTime) -> bool {
        if !self.live || at > self.end || at < self.t {
            self.live = false;
            return false;
        }
        self.t = at;
        true
    }

    fn mv(&mut self, at: NaiveDateTime, mv: Move, by: WorkerId) -> bool {
        if !self.next(at) {
            return false;
        }
        let ok = self.r.apply(mv, by, at, self.limit, self.cal).is_ok();
        debug_assert!(ok, "illegal demo move from {:?}", self.r.status);
        self.live = ok;
        ok
    }

    fn note(&mut self, at: NaiveDateTime, text: &str, by: WorkerId) -> bool {
        self.next(at) && self.r.comment(text.to_string(), by, at).is_ok()
    }
}

pub(super) fn make_requests(ctx: &Ctx, n: usize, rng: &mut Rng) -> Vec<Request> {
    let defaults;
    let cats = if ctx.cats.0.is_empty() {
        defaults = Categories::default();
        &defaults
    } else {
        ctx.cats
    };
    let cats: Vec<Cat> = cats.0.iter().map(|c| Cat { cat: c, topic: topic_for(&c.name) }).collect();
    let weights: Vec<(usize, u32)> = cats
        .iter()
        .enumerate()
        .map(|(k, c)| (k, if c.topic.name == c.cat.name { c.topic.weight } else { 30 }))
        .collect();
    let cat_table = Table::new(&weights);
    let askers = Askers::new(ctx, rng);
    let times = request_times(ctx, n, rng);
    let end = ctx.today.and_time(hm(18 * 60, 0));
    // requests logged 16–45 working days before today; a few of them stall
    let stall_from = working_days_back(ctx.cal, ctx.today, 45);
    let stall_to = working_days_back(ctx.cal, ctx.today, 16);
    let window: Vec<usize> =
        (0..times.len()).filter(|&k| (stall_from..=stall_to).contains(&times[k].0.date()) && times[k].1).collect();
    let mut stalled = vec![Stall::No; times.len()];
    let want = (window.len() * 5 / 100).max(2).min(window.len());
    if let Some(step) = window.len().checked_div(want) {
        let offset = rng.index(step.max(1));
        for j in 0..want {
            stalled[window[(offset + j * step).min(window.len() - 1)]] =
                if j % 3 == 0 { Stall::Escalated } else { Stall::Stuck };
        }
    }
    let mut seq_year = 0;
    let mut seq = 0u64;
    let mut out = Vec::with_capacity(n);
    for (k, &(at, working)) in times.iter().enumerate() {
        if at.year() != seq_year {
            seq_year = at.year();
            seq = 0;
        }
        seq += 1;
        let id = RequestId::new(seq_year, seq);
        let channel = if working { rng.weighted(CHANNELS_WORKDAY) } else { Channel::Hotline12345 };
        let cat = &cats[cat_table.pick(rng)];
        out.push(make_request(ctx, &askers, rng, Plan { id, at, channel, cat, end, stalled: stalled[k] }));
    }
    out
}

/// The date `n` working days before `today`.
pub(super) fn working_days_back(cal: &WorkCalendar, today: NaiveDate, n: u32) -> NaiveDate {
    let mut d = today;
    let mut found = 0;
    for _ in 0..n * 3 + 30 {
        d = d.pred_opt().unwrap_or(d);
        if cal.is_working_day(d) {
            found += 1;
            if found == n {
                break;
            }
        }
    }
    d
}

/// Whether a recent request is left hanging (open and overdue today).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Stall {
    No,
    Stuck,
    /// Sent up to the street office, which has not answered.
    Escalated,
}

pub(super) struct Plan<'a> {
    pub(super) id: RequestId,
    pub(super) at: NaiveDateTime,
    pub(super) channel: Channel,
    pub(super) cat: &'a Cat<'a>,
    pub(super) end: NaiveDateTime,
    pub(super) stalled: Stall,
}

/// What a request is about and who brought it, for the later steps' texts.
pub(super) struct Case {
    pub(super) topic: &'static Topic,
    pub(super) issue: &'static Issue,
    pub(super) resident: Option<usize>,
    pub(super) channel: Channel,
}

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Path {
    Normal,
    Withdraw,
    Transfer,
    Escalate,
}

pub(super) fn make_request(ctx: &Ctx, askers: &Askers, rng: &mut Rng, plan: Plan) -> Request {
    let Plan { id, at, channel, cat, end, stalled } = plan;
    let topic = cat.topic;
    let anonymous_rate = match channel {
        Channel::Patrol => 850,
        Channel::Hotline12345 => 150,
        Channel::WeChat => 100,
        _ => 30,
    };
    let mut issue: &'static Issue = &topic.issues[rng.index(topic.issues.len())];
    let mut resident = None;
    if !ctx.residents.is_empty() {
        if rng.chance(anonymous_rate) {
            // nobody to name: an issue about a shared place
            let shared: Vec<&'static Issue> = topic.issues.iter().filter(|x| x.scope != Scope::Home).collect();
            if shared.is_empty() {
                resident = Some(askers.pick(rng, topic.name));
            } else {
                issue = rng.pick(&shared);
            }
        } else {
            resident = Some(askers.pick(rng, topic.name));
        }
    }
    if resident.is_none() && issue.scope == Scope::Home {
        issue = topic.issues.iter().find(|x| x.scope != Scope::Home).unwrap_or(issue);
    }
    let case = Case { topic, issue, resident, channel };

    // where
    let (building, address) = match resident {
        Some(k) => {
            let a = &ctx.residents[k].address;
            (ctx.town.building_of(a).unwrap_or(ctx.people[k].building), a.clone())
        }
        None if topic.name == "老旧小区" && !ctx.town.old.is_empty() => {
            let b = rng.pick(&ctx.town.old);
            let k = &ESTATES[ctx.town.buildings[b].estate];
            let address = Address {
                estate: k.name.to_string(),
                building: ctx.town.buildings[b].no.to_string(),
                unit: rng.range(1, k.units).to_string(),
                room: String::new(),
            };
            (b, address)
        }
        None => ctx.town.random_address(rng),
    };
    let estate = address.estate.as_str();
    let (location, title) = match issue.scope {
        Scope::Home => (address.to_string(), issue.title.to_string()),
        Scope::Building => {
            let here = format!("{}栋{}单元", address.building, address.unit);
            let title = if rng.chance(400) { format!("{here}{}", issue.title) } else { issue.title.to_string() };
            (format!("{estate} {here}"), title)
        }
        Scope::Place(place) => {
            let place = if place == "楼下" { format!("{}栋楼下", address.building) } else { place.to_string() };
            let title = if rng.chance(200) { format!("{estate}{}", issue.title) } else { issue.title.to_string() };
            (format!("{estate} {place}"), title)
        }
    };
    let description = describe(ctx, rng, &case);

    // by whom
    let staff = ctx.staff;
    let grid = grid_worker(ctx, building);
    let officer = |rng: &mut Rng| rng.pick(&staff.officers);
    let leader = |rng: &mut Rng| rng.pick(&staff.leaders);
    let logged_by = match channel {
        Channel::Visit | Channel::Phone => rng.pick(&staff.all),
        Channel::Hotline12345 => officer(rng),
        Channel::WeChat | Channel::Patrol | Channel::DoorVisit => grid,
    };
    let assignee = match topic.name {
        "低保救助" | "政策咨询" | "长者食堂" if rng.chance(700) => officer(rng),
        "邻里纠纷" if rng.chance(300) => rng.pick(&staff.members),
        _ if rng.chance(850) => grid,
        _ => rng.pick(&staff.all),
    };

    let urgency = if rng.chance(100) { Urgency::Urgent } else { Urgency::Normal };
    let category_limit = cat.cat.limit_days;
    let limit = limit_for(category_limit, urgency);
    let new = NewRequest {
        channel,
        category: cat.cat.name.clone(),
        title,
        description,
        location,
        resident: resident.map(|k| ResidentId(k as u64 + 1)),
        urgency,
        // the hotline's own number, made from the day and the request (no
        // draw from the random stream: the rest of the data stays as it was)
        work_order: if channel == Channel::Hotline12345 {
            format!("{}{:05}", at.format("%Y%m%d"), id.seq() % 100_000)
        } else {
            String::new()
        },
        // the hotline's deadline: its usual five working days
        hotline_due: (channel == Channel::Hotline12345).then(|| ctx.cal.add_working_days(at.date(), 5)),
    };
    let r = Request::create(id, new, logged_by, at, category_limit, ctx.cal);
    let mut s = Sim { r, t: at, end, limit: category_limit, cal: ctx.cal, live: true };

    // what happens next
    let path = if stalled != Stall::No {
        Path::Normal
    } else {
        let esc = topic.escalate.min(500);
        rng.weighted(&[(Path::Withdraw, 20), (Path::Transfer, 40), (Path::Escalate, esc), (Path::Normal, 1000 - esc)])
    };
    if rng.chance(40) {
        // the resident asks again before anyone is on it
        let at = s.later(0, rng);
        s.note(at, rng.pick(CHASE), logged_by);
    }
    if path == Path::Transfer && rng.chance(500) {
        // not the community's to handle: passed on straight from the desk
        let at = s.later(rng.range(0, 1), rng);
        let dept = rng.pick(topic.departments);
        if s.mv(at, Move::Transfer(format!("转{dept}处理")), officer(rng)) {
            finish_outside(&mut s, rng, ctx, &case, dept, assignee);
        }
        return s.r;
    }
    let dispatcher = if rng.chance(600) { leader(rng) } else { logged_by };
    let at = s.later(if rng.chance(600) { 0 } else { 1 }, rng);
    if !s.mv(at, Move::Assign(assignee), dispatcher) {
        return s.r;
    }
    if rng.chance(450) {
        let at = s.later(0, rng);
        let pool = if resident.is_some() { AFTER_ASSIGN } else { AFTER_ASSIGN_ANON };
        s.note(at, rng.pick(pool), assignee);
    }
    let mut worker = assignee;
    if rng.chance(50) {
        // handed over to someone else
        worker = rng.pick(&staff.all);
        let at = s.later(rng.range(0, 2), rng);
        s.mv(at, Move::Assign(worker), leader(rng));
    }
    match path {
        Path::Withdraw => {
            let at = s.later(rng.range(0, 3), rng);
            s.mv(at, Move::Withdraw(rng.pick(WITHDRAW).to_string()), worker);
            return s.r;
        }
        Path::Transfer => {
            let at = s.later(rng.range(0, 2), rng);
            let dept = rng.pick(topic.departments);
            if s.mv(at, Move::Transfer(format!("转{dept}处理")), worker) {
                finish_outside(&mut s, rng, ctx, &case, dept, worker);
            }
            return s.r;
        }
        Path::Normal | Path::Escalate => {}
    }
    if rng.chance(550) {
        let at = s.later(rng.range(0, 1), rng);
        s.mv(at, Move::Start, worker);
        if rng.chance(250) {
            let at = s.later(0, rng);
            s.note(at, rng.pick(topic.progress), worker);
        }
    }
    if stalled != Stall::No {
        // nothing moves: a few chasing notes, still open and overdue today
        if stalled == Stall::Escalated {
            let at = s.later(rng.range(1, 5), rng);
            s.mv(at, Move::Escalate(rng.pick(ESCALATE).to_string()), leader(rng));
        }
        for _ in 0..rng.range(1, 3) {
            let at = s.later(rng.range(2, 6), rng);
            s.note(at, rng.pick(CHASE), worker);
        }
        return s.r;
    }
    if path == Path::Escalate {
        let at = s.later(rng.range(0, limit.max(1)), rng);
        if s.mv(at, Move::Escalate(rng.pick(ESCALATE).to_string()), leader(rng)) {
            finish_outside(&mut s, rng, ctx, &case, "街道", worker);
        }
        return s.r;
    }
    if limit >= 5 && rng.chance(300) {
        let at = s.later(rng.range(1, limit / 2), rng);
        s.note(at, rng.pick(topic.progress), worker);
    }
    // on time mostly: within the limit, earlier more often than later
    let wd = if rng.chance(45) {
        limit + if rng.chance(800) { rng.range(1, 5) } else { rng.range(6, 25) }
    } else {
        rng.range(0, limit).min(rng.range(0, limit))
    };
    let at = s.on_day(wd, rng);
    if s.mv(at, Move::Resolve(issue.fix.to_string()), worker) {
        callback_and_close(&mut s, rng, ctx, &case, worker);
    }
    s.r
}

/// The description: who brought it through which channel, what, and what they ask.
pub(super) fn describe(ctx: &Ctx, rng: &mut Rng, case: &Case) -> String {
    let call = |rng: &mut Rng| match case.resident {
        Some(k) => {
            let p = ctx.people[k];
            let name = &ctx.residents[k].name;
            let compound = SURNAMES.iter().any(|(s, _)| s.chars().count() == 2 && name.starts_with(s));
            let sur: String = name.chars().take(if compound { 2 } else { 1 }).collect();
            let polite = match (p.born < 1960, p.male) {
                (true, true) => "大爷",
                (true, false) => rng.pick(&["阿姨", "婆婆"]),
                (false, true) => "先生",
                (false, false) => "女士",
            };
            format!("{sur}{polite}")
        }
        None => "居民".to_string(),
    };
    let opening = match case.channel {
        Channel::Visit => format!("{}来社区反映，", call(rng)),
        Channel::Phone => format!("{}来电反映，", call(rng)),
        Channel::Hotline12345 => "市民通过12345热线反映，".to_string(),
        Channel::WeChat => "居民在微信群反映，".to_string(),
        Channel::Patrol => "网格员巡查发现，".to_string(),
        Channel::DoorVisit => format!("入户走访时{}反映，", call(rng)),
    };
    let ask = if case.channel == Channel::Patrol { "需协调处理" } else { rng.pick(case.topic.asks) };
    format!("{opening}{}，{ask}。", case.issue.detail)
}

/// After a transfer or an escalation: the other office deals with it, then
/// the community calls back and closes.
pub(super) fn finish_outside(s: &mut Sim, rng: &mut Rng, ctx: &Ctx, case: &Case, dept: &str, worker: WorkerId) {
    if rng.chance(600) {
        let at = s.later(rng.range(2, 8), rng);
        s.note(at, rng.pick(CHASE), worker);
    }
    // the street office takes its time; departments report back sooner
    let wd = if dept == "街道" { rng.range(10, 60) } else { rng.range(3, 20) };
    let at = s.later(wd, rng);
    if s.mv(at, Move::Resolve(format!("经{dept}处理，{}", case.issue.fix)), worker) {
        callback_and_close(s, rng, ctx, case, worker);
    }
}

/// 回访 with the resident's satisfaction, then 归档; an unsatisfied callback
/// reopens the request, which is resolved and called back once more.
pub(super) fn callback_and_close(s: &mut Sim, rng: &mut Rng, ctx: &Ctx, case: &Case, worker: WorkerId) {
    let staff = ctx.staff;
    for round in 0..2 {
        let caller = if rng.chance(300) { worker } else { rng.pick(&staff.officers) };
        let at = s.later(rng.range(1, 5), rng);
        let sat = if case.resident.is_none() {
            // nobody to ask: the grid worker checks on the spot
            rng.weighted(&[(Satisfaction::Satisfied, 850), (Satisfaction::Basic, 150)])
        } else if round == 0 {
            rng.weighted(&[(Satisfaction::Satisfied, 750), (Satisfaction::Basic, 170), (Satisfaction::Unsatisfied, 80)])
        } else {
            rng.weighted(&[(Satisfaction::Satisfied, 650), (Satisfaction::Basic, 350)])
        };
        let text = match (sat, case.resident, case.channel) {
            (_, None, _) => rng.pick(CALLBACK_ANON),
            (Satisfaction::Unsatisfied, ..) => rng.pick(CALLBACK_BAD),
            (Satisfaction::Basic, ..) => rng.pick(CALLBACK_BASIC),
            (Satisfaction::Satisfied, _, Channel::Hotline12345) => rng.pick(CALLBACK_12345),
            (Satisfaction::Satisfied, ..) => rng.pick(CALLBACK_OK),
        };
        if !s.mv(at, Move::CallBack(sat, text.to_string()), caller) {
            return;
        }
        if sat != Satisfaction::Unsatisfied {
            let at = s.later(rng.range(0, 2), rng);
            s.mv(at, Move::Close, rng.pick(&[staff.leaders[0], staff.officers[0], caller]));
            return;
        }
        let at = s.later(rng.range(0, 1), rng);
        if !s.mv(at, Move::Reopen(rng.pick(REOPEN).to_string()), rng.pick(&staff.leaders)) {
            return;
        }
        if s.r.assignee.is_none() {
            // passed on from the desk and never assigned: now it is someone's
            let at = s.later(0, rng);
            if !s.mv(at, Move::Assign(worker), rng.pick(&staff.leaders)) {
                return;
            }
        }
        let limit = limit_for(s.limit, s.r.urgency);
        let at = s.later(rng.range(1, limit.max(1)), rng);
        if !s.mv(at, Move::Resolve(format!("再次上门处理，{}", case.issue.fix)), worker) {
            return;
        }
    }
}
