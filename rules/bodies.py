"""Who issued a report: the kind of body and its administrative level, read from its name.

Several requirements depend on the issuer: only a people's government's *own* report must give the
工作考核、社会评议和责任追究结果情况 (《条例》第五十条第四项); departments publish by 1月31日 and
governments at county level and above by 3月31日 (第四十九条); only provincial governments,
governments of 设区的市 and State Council departments make 规章. The name is all a rule has, so this
module reads it conservatively: whatever it cannot tell for certain is None, and the rules that
need it then say they could not judge.

Kinds (`Body.kind`):
  人民政府       a people's government's own report, at any level including 乡、镇 (level 乡级);
                 a bare place name (`桐梓县夜郎镇`, `河口县桥头乡`) is read as that place's government
  政府办公室     the 办公室 / 办公厅 of a people's government (a department of it, not the government)
  部门           a working department or other agency (局、委、厅、办、中心 …)
  街道办事处     a 街道办事处 (an agency sent out by a district government; level 乡级)
  功能区管委会   the 管委会 of a development zone, high-tech zone, new area …
Levels (`Body.level`): 省级, 市级, 县级, 乡级. "XX市" alone is a prefecture-level city or a county-level
city; the name cannot say which, so the level is None there (but `county_or_above` is True), except
for the municipalities, provincial capitals and sub-provincial cities, whose level is certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from gongkai.normalize import t2s

GOVERNMENT = "人民政府"
OFFICE = "政府办公室"
DEPARTMENT = "部门"
SUBDISTRICT = "街道办事处"
ZONE = "功能区管委会"
KINDS = (GOVERNMENT, OFFICE, DEPARTMENT, SUBDISTRICT, ZONE)

PROVINCE, CITY, COUNTY, TOWNSHIP = "省级", "市级", "县级", "乡级"
LEVELS = (PROVINCE, CITY, COUNTY, TOWNSHIP)

# Cities whose level the name settles: the four municipalities (provincial level), and the 293
# prefecture-level cities (地级市, 民政部行政区划统计, 2023), listed by province. Any other "XX市" is a
# county-level city, or a prefecture-level city created after the list: its level stays unknown,
# so that no rule judges it on a guess.
MUNICIPALITIES = frozenset({"北京", "天津", "上海", "重庆"})
_PREFECTURE_CITIES_BY_PROVINCE = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海": "西宁 海东",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
PREFECTURE_CITIES = frozenset(name for names in _PREFECTURE_CITIES_BY_PROVINCE.values() for name in names.split())

# Words that name a development zone; a body inside one has no level of the ordinary hierarchy.
_ZONE_WORDS = ("高新技术产业开发区", "经济技术开发区", "自由贸易试验区", "综合保税区", "开发区", "高新区", "工业园区",
               "产业园区", "产业园", "园区", "保税区", "自贸区", "试验区", "示范区", "合作区", "度假区", "风景名胜区",
               "管理区", "新区")
# Words of agency names that contain a character marking an administrative unit (市场, 城乡 …):
# masked before the units are looked for, so that 市场监督管理局 does not read as a city.
# (Pairs of two unit words such as 县乡 are not masked: `某县乡村振兴局` is 某县 + 乡村振兴局.)
_MASKED = ("市场", "城市", "市政", "市容", "市民", "都市", "超市", "市级", "社区", "区域", "区划", "辖区", "片区", "库区",
           "灾区", "景区", "县域", "县级", "城乡", "乡村", "乡镇", "乡级", "城镇", "镇村", "村镇", "镇级", "区级", "省级",
           "保护区")
# Administrative units by the word that ends their name, longest first, with the level they give.
_UNITS: tuple[tuple[str, str | None], ...] = (
    ("特别行政区", None), ("自治区", PROVINCE), ("自治州", CITY), ("自治县", COUNTY), ("自治旗", COUNTY),
    ("街道", TOWNSHIP), ("苏木", TOWNSHIP), ("地区", CITY), ("林区", COUNTY), ("特区", COUNTY),
    ("省", PROVINCE), ("盟", CITY), ("市", None), ("县", COUNTY), ("旗", COUNTY), ("区", COUNTY),
    ("镇", TOWNSHIP), ("乡", TOWNSHIP),
)
_DEPARTMENT_END = re.compile(
    r"(局|分局|总局|委员会|委|厅|署|办公室|办|中心|院|所|站|队|处|馆|会|部|室|社|公司|集团)$")
_OFFICE_END = re.compile(r"(人民政府|政府)(办公室|办公厅|办)$")
_GOVERNMENT_END = re.compile(r"(人民政府|政府)$")
_SUBDISTRICT_END = re.compile(r"(街道办事处|街道办|街道)$")
_ZONE_END = re.compile(r"(管理委员会|管委会)$|(" + "|".join(_ZONE_WORDS) + r")$")
_TOWNSHIP_END = re.compile(r"(民族乡|镇|乡|苏木)$")
_PLACE_ONLY = re.compile(r"(省|自治区|市|自治州|地区|盟|县|自治县|旗|自治旗|区)$")
# What a report title puts before the year: "南通市人民政府办公室2023年政府信息公开工作年度报告".
_TITLE_BODY = re.compile(r"^(?P<body>.{2,60}?)\s*(?:(?:19|20)\d{2})\s*年")


@dataclass(frozen=True)
class Body:
    name: str
    kind: str | None            # one of KINDS, None when the name does not say
    level: str | None           # one of LEVELS, None when the name does not say
    county_or_above: bool | None  # certain even where the exact level is not ("XX市")
    unit: str = ""              # the innermost administrative unit read, e.g. "南通市"
    in_zone: bool = False       # the body is a zone's 管委会 or one of its departments

    @property
    def is_government(self) -> bool:
        """A people's government's own report (any level), not its office, departments or zones."""
        return self.kind == GOVERNMENT

    def describe(self) -> str:
        """`南通市人民政府办公室（政府办公室，级别未能判断）` for messages."""
        kind = self.kind or "类型未能判断"
        level = self.level or ("县级以上" if self.county_or_above else "级别未能判断")
        return f"{self.name}（{kind}，{level}）"

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "level": self.level, "county_or_above": self.county_or_above,
                "in_zone": self.in_zone}


def _clean(name: str) -> str:
    name = t2s(re.sub(r"\s+", "", name))
    # A trailing note in parentheses (`XX县人民政府（县政府办代发）`) is not part of the name.
    name = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    return name.strip("•·*-—:：,，。 ")


def _mask(text: str) -> str:
    for word in _MASKED:
        text = text.replace(word, "#" * len(word))
    return text


def _last_unit(prefix: str) -> tuple[str, str | None, str] | None:
    """The innermost administrative unit at the end of `prefix` (what precedes the agency's own
    name): (unit text, level, the marker word), or None when the prefix does not end with one."""
    masked = _mask(prefix)
    for marker, level in _UNITS:
        # A bare marker counts too: `区统计局`, `县人民政府` speak of "the district", "the county".
        if masked.endswith(marker):
            return prefix, level, marker
    return None


def _unit_level(prefix: str) -> tuple[str | None, bool | None, str]:
    """(level, county_or_above, unit) of the place a body's name starts with."""
    if not prefix:
        return None, None, ""
    if any(prefix.endswith(z) for z in _ZONE_WORDS) and not prefix.endswith("新区"):
        return None, None, prefix
    found = _last_unit(prefix)
    if found is None:
        return None, None, prefix
    unit, level, marker = found
    if prefix.endswith("新区"):
        # A 新区 with a people's government (浦东新区、滨海新区) is a district: county level.
        return COUNTY, True, unit
    if marker == "市":
        name = _city_name(prefix)
        if name in MUNICIPALITIES:
            return PROVINCE, True, unit
        if name in PREFECTURE_CITIES:
            return CITY, True, unit
        outer = _last_unit(prefix[: len(prefix) - len(name) - 1]) if name else None
        if outer and outer[2] in ("市", "自治州", "地区", "盟"):
            # A city inside a prefecture (佳木斯市抚远市, 恩施州利川市) is a county-level city.
            return COUNTY, True, unit
        return None, True, unit
    if level is None:
        return None, None, unit
    return level, level != TOWNSHIP, unit


def _city_name(prefix: str) -> str:
    """The name of the city in a prefix ending with 市: the text after the previous unit."""
    body = _mask(prefix[:-1])
    cut = 0
    for i in range(len(body)):
        for marker, _ in _UNITS:
            if body.startswith(marker, i) and i > 0:
                cut = max(cut, i + len(marker))
    return prefix[cut:-1]


# A report's body is classified by several rules and by the batch row; a batch meets the same
# names again and again. Body is frozen, so one instance can be handed to every caller.
@lru_cache(maxsize=4096)
def classify(name: str | None) -> Body | None:
    """The kind and level of a body from its name; None when there is no name at all."""
    if not name or not name.strip():
        return None
    n = _clean(name)
    if not n:
        return None
    if _SUBDISTRICT_END.search(n):
        return Body(n, SUBDISTRICT, TOWNSHIP, False, n)
    m = _OFFICE_END.search(n)
    if m:
        level, above, unit = _unit_level(n[: m.start()])
        return Body(n, OFFICE, level, above, unit)
    m = _GOVERNMENT_END.search(n)
    if m:
        prefix = n[: m.start()]
        level, above, unit = _unit_level(prefix)
        if any(prefix.endswith(z) for z in _ZONE_WORDS if z != "新区"):
            return Body(n, ZONE, None, None, prefix, in_zone=True)
        return Body(n, GOVERNMENT, level, above, unit)
    if _ZONE_END.search(n):
        return Body(n, ZONE, None, None, n, in_zone=True)
    if _TOWNSHIP_END.search(n) and _last_unit(n):
        return Body(n, GOVERNMENT, TOWNSHIP, False, n)
    m = _DEPARTMENT_END.search(n)
    if m:
        masked = _mask(n)
        zone = next((z for z in _ZONE_WORDS if z in n), None)
        if zone:
            return Body(n, DEPARTMENT, None, None, n[: n.index(zone) + len(zone)], in_zone=True)
        # The place is what precedes the last unit marker; the agency's own name follows it.
        ends = [i + len(mk) for mk, _ in _UNITS for i in _find_all(masked, mk) if i + len(mk) < len(n)]
        if not ends:
            return Body(n, DEPARTMENT, None, None, "")
        level, above, unit = _unit_level(n[: max(ends)])
        return Body(n, DEPARTMENT, level, above, unit)
    if _PLACE_ONLY.search(n) and _last_unit(n):
        # A report issued in the name of a place (`XX县2023年…年度报告`) is that place's government's.
        level, above, unit = _unit_level(n)
        return Body(n, GOVERNMENT, level, above, unit)
    return Body(n, None, None, None, "")


def _find_all(text: str, sub: str) -> list[int]:
    out, i = [], text.find(sub)
    while i != -1:
        out.append(i)
        i = text.find(sub, i + 1)
    return out


def body_from_title(title: str | None) -> str | None:
    """The issuing body a report title names before its year, if any."""
    if not title:
        return None
    m = _TITLE_BODY.match(_clean(title))
    if not m:
        return None
    body = m["body"].strip("《“\"")
    return body if classify(body) and classify(body).kind else None


def issuer(report: Any) -> Body | None:
    """The issuing body of a report: `meta.issuing_body`, else what the title names before the year."""
    meta = report.meta
    name = meta.get("issuing_body") or body_from_title(meta.get("title"))
    return classify(name)
