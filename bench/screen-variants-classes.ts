// Generators for the name classes people actually type (issue 15): extra words, a shortened listed name,
// abbreviations, Chinese legal names in characters, Russian names in Cyrillic with Russian word order.
//
// Independence rule: everything here is written from general knowledge of how company names are written,
// with a comment on where each convention comes from. Nothing under bench/ imports src/screening/match/*
// or reads the matcher's word, abbreviation or legal-form tables (data/screening/*words*, *abbrev*);
// test/screening/bench-labelled.test.ts checks the imports. Labels never come from the matcher's output.
import { words as popular } from 'popular-english-words';
import { pinyin } from 'pinyin-pro';
import { pick, type Rng } from './screen-variants.js';

let common: Set<string> | undefined;
/**
 * A common English word: among the 30,000 most frequent words of English Wikipedia (npm popular-english-words).
 * "Leader", "Media", "Oracle", "Marine" are; "Huawei", "Polyus", "Rosoboronexport" are not. Used for the issue's
 * "not when what is left is one common word" and to keep English words from being read as pinyin. The matcher
 * uses another corpus (SUBTLEX-US subtitles) for its own rule, so the two do not share a list.
 */
export function commonEnglish(word: string): boolean {
  common ??= new Set(popular.getMostPopular(30000).map((w) => w.toLowerCase()));
  return common.has(word.toLowerCase());
}

// ---------------------------------------------------------------------------------------------------
// Shared word lists

/**
 * Cities a party's address commonly names, by country (alpha-2). General geographic knowledge: the
 * capital and the largest commercial cities; used as the "extra word" a clerk adds from an address.
 */
export const CITIES: Record<string, string[]> = {
  CN: ['Beijing', 'Shanghai', 'Shenzhen', 'Guangzhou', 'Wuhan', 'Chengdu', 'Tianjin', 'Nanjing', 'Hangzhou'],
  HK: ['Hong Kong', 'Kowloon', 'Wan Chai', 'Kwun Tong', 'Sheung Wan'],
  RU: ['Moscow', 'St. Petersburg', 'Novosibirsk', 'Yekaterinburg', 'Kazan', 'Samara'],
  BY: ['Minsk', 'Gomel', 'Brest', 'Vitebsk'],
  UA: ['Kyiv', 'Kharkiv', 'Odesa'],
  KZ: ['Almaty', 'Astana'],
  IR: ['Tehran', 'Isfahan', 'Mashhad', 'Shiraz', 'Tabriz'],
  AE: ['Dubai', 'Abu Dhabi', 'Sharjah', 'Ajman'],
  TR: ['Istanbul', 'Ankara', 'Izmir'],
  SY: ['Damascus', 'Aleppo'],
  LB: ['Beirut'],
  IQ: ['Baghdad', 'Basra', 'Erbil'],
  KP: ['Pyongyang'],
  PK: ['Karachi', 'Lahore', 'Islamabad'],
  IN: ['Mumbai', 'New Delhi', 'Bangalore'],
  SG: ['Singapore', 'Jurong'],
  MY: ['Kuala Lumpur', 'Penang', 'Johor Bahru'],
  DE: ['Berlin', 'Hamburg', 'Munich'],
  GB: ['London', 'Manchester'],
  US: ['New York', 'Miami', 'Houston'],
  VE: ['Caracas', 'Maracaibo'],
  CU: ['Havana'],
  MM: ['Yangon', 'Naypyidaw'],
  TW: ['Taipei', 'Hsinchu', 'Taichung'],
};
const ANY_CITIES = ['London', 'Dubai', 'Singapore', 'Hong Kong', 'Istanbul'];

/** Ordinary words of organisation names (not proper names): what the "listed-extra" rule must not keep alone. */
export const GENERIC = new Set(
  (
    'technology technologies tech international group trading trade industrial industry industries company ' +
    'corporation research institute science sciences scientific engineering electronics electronic development ' +
    'holding holdings investment investments management services service systems system shipping energy ' +
    'national general state federal center centre plant factory bureau design production enterprise ' +
    'enterprises limited liability joint stock public open closed organization organisation academy university ' +
    'import export logistics materials material equipment machinery manufacturing communication communications ' +
    'information network software aviation aerospace defense defence military ministry office branch department ' +
    'division china chinese russia russian iran iranian islamic republic bank oil petroleum gas chemical ' +
    'petrochemical new global world asia pacific east west north south central united golden star first great ' +
    'royal power electric precision optical semiconductor microelectronics instruments applied advanced special ' +
    'high supply chain solutions products commercial construction transport marine medical pharmaceutical ' +
    'association concern scientific-production laboratory laboratories agency foundation fund import-export ' +
    'general-trading shipyard repair experimental complex resources mining metal metals steel industrial-group ' +
    'airlines airline air navy force army guard corps revolutionary council committee authority shipbuilding ' +
    'aircraft electronic optoelectronic telecommunication telecommunications petrochemicals refinery ' +
    // the same kind of words in the languages the lists romanise most (Spanish, Turkish, Persian, Russian,
    // Serbo-Croatian, Arabic): company, group, trade, industry, investment, services ...
    'corporativo inversiones comercial comercializadora grupo compania sociedad empresa industrias servicios ' +
    'internacional importadora exportadora distribuidora ticaret sanayi sanayii dis tejarat sherkat bazargani ' +
    'sanaye sanat kompaniya gruppa promyshlennaya torgovy torgovyi zavod nauchno proizvodstvennoe obedinenie ' +
    'trgovinu preduzece sharikat sharika tijara mu assasa obschestvo investitsionnaya kontsern autotransportes ' +
    'agropecuaria operadora organizacion inmuebles bienes dominicana belarusian latvijas agro petro punto jahan ' +
    'nauchno-proizvodstvennoe aktsionernoye obshchestvo'
  ).split(' '),
);

let places: Set<string> | undefined;
/** A place (the city table above, Chinese provinces and cities below): no more telling than a generic word. */
export function isPlace(word: string): boolean {
  places ??= new Set(
    [...Object.values(CITIES).flat(), ...ANY_CITIES, ...Object.keys(ZH_PLACES), ...MORE_PLACES]
      .flatMap((c) => c.toLowerCase().split(/[^a-z]+/))
      .filter((w) => w.length >= 4),
  );
  return places.has(word.toLowerCase());
}
/** More places common in listed names: prefectures of Xinjiang, and other cities (general geography). */
const MORE_PLACES = [
  'Hami Kashgar Hotan Aksu Turpan Korla Karamay Yining Altay Tacheng Bortala Changji Shihezi Ili',
  'Weihai Yantai Zibo Weifang Baotou Hohhot Dandong Anshan Fushun Xuzhou Changzhou Nantong Yangzhou Zhuzhou',
  'Mianyang Deyang Luoyang Baoji Xianyang Zhongshan Foshan Huizhou Shantou Quanzhou Zhangjiang Shunde',
  'Tehran Karaj Qom Ahvaz Kerman Yazd Bandar Abbas Kish Moscow Petersburg Sankt Peterburg Tula Perm Omsk Tomsk',
  'Ufa Izhevsk Kaluga Ryazan Nizhny Novgorod Vladivostok Khabarovsk Rostov Voronezh Chelyabinsk Krasnoyarsk',
  'Sakhalin Syzran Samara Saratov Volgograd Kazan Tyumen Irkutsk Murmansk Arkhangelsk Sevastopol Crimea',
].flatMap((l) => l.split(' '));

// ---------------------------------------------------------------------------------------------------
// extra-words: a listed name plus 1-2 words a clerk or a customer adds

/**
 * Words added to a listed name. Where they come from: the issue's own examples ("Huawei Technologies
 * Trading", "Huawei Technologies 123", "Rosoboronexport Moscow", "... Guard Corps Navy") and how parties
 * appear on invoices and shipping documents: a branch or city from the address, a business word of a
 * trading arm, a branch or unit number, a department or service arm.
 */
const BUSINESS_WORDS = ['Trading', 'Group', 'Holdings', 'International', 'Services', 'Import Export', 'Branch'];
const DEPARTMENTS = ['Navy', 'Division', 'Sales Department', 'Head Office', 'Headquarters', 'Research Division'];

/** A listed name with 1-2 words added: before the trailing legal form, at the end, or a city in front. */
export function extraWords(r: Rng, name: string, country: string | undefined): string {
  const cities = (country && CITIES[country]) || ANY_CITIES;
  const x = r();
  let extra: string;
  if (x < 0.3) extra = r() < 0.6 ? pick(r, cities) : `${pick(r, cities)} ${pick(r, ['Branch', 'Office'])}`;
  else if (x < 0.6) extra = pick(r, BUSINESS_WORDS);
  else if (x < 0.8) extra = r() < 0.7 ? String(1 + Math.floor(r() * 999)) : `No. ${1 + Math.floor(r() * 20)}`;
  else extra = pick(r, DEPARTMENTS);
  const cityOnly = cities.includes(extra);
  if (cityOnly && r() < 0.35) return `${extra} ${name}`;
  const m = LEGAL_TAIL.exec(name);
  if (m && r() < 0.5) return `${name.slice(0, m.index)} ${extra}${m[0]}`;
  return `${name} ${extra}`;
}

/** A legal form at the end of an English name (the usual English renderings; see FORM_WORDS). */
const LEGAL_TAIL = new RegExp(
  String.raw`[\s,]+((limited liability|(public |open |closed )?joint[- ]stock) company|s\.\s?a\. de c\.\s?v\.|` +
    String.raw`co\.?,?\s*ltd\.?|company limited|co\.?,?\s*limited|limited|ltd\.?|llc|inc\.?|corp\.?|corporation|` +
    String.raw`company|jsc|ojsc|pjsc|cjsc|ooo|oao|zao|gmbh|fze|sdn\.?\s*bhd\.?|pte\.?\s*ltd\.?)[\s,.]*$`,
  'i',
);

// ---------------------------------------------------------------------------------------------------
// listed-extra: the listed name carries words the query lacks

/** Words of legal forms, which the "listed-extra" query never keeps alone and which do not count as words. */
export const FORM_WORDS = new Set(
  (
    'co ltd limited llc inc incorporated corp corporation company jsc ojsc pjsc cjsc ooo oao zao ao pao gmbh sdn ' +
    'bhd pte plc fze fzco llp sa ag the of and joint stock liability public open closed additional partnership ' +
    'private obshchestvo ogranichennoi ogranichennoy otvetstvennostyu aktsionernoe otkrytoe zakrytoe publichnoe ' +
    'tovarishchestvo sirketi anonim limitada ltda sarl srl gmbh kg doo dd ad oy ab bv nv spa sas kft zrt sro ' +
    'pvt tbk'
  ).split(' '),
);

/**
 * The first k non-legal words of a listed name of 3+ words (k at least 1, fewer than it has), the legal
 * form dropped: "Huawei Technologies Co., Ltd." -> "Huawei". `telling(word)` says whether a word is
 * distinctive enough to stand for the party; the kept part must contain one.
 */
export function listedExtra(r: Rng, name: string, telling: (w: string) => boolean): string | undefined {
  const all = name
    .replace(/\([^)]*\)/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (all.length < 3) return undefined;
  // The name's runs of non-legal words; the first with a telling word is the name proper (what follows a
  // legal form in the middle, "... Co. Ltd., Tsim Sha Tsui", is an address or a qualifier).
  const runs: string[][] = [[]];
  for (const w of all) {
    if (FORM_WORDS.has(bare(w))) runs.push([]);
    else runs[runs.length - 1].push(w);
  }
  const tells = (w: string) =>
    w
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .some(telling);
  const words = runs.find((run) => run.some(tells));
  if (!words || words.length < 2) return undefined;
  const ks: number[] = [];
  for (let k = 1; k < words.length; k++) {
    // Nobody stops a name on a connecting word ("... Sanayi ve", "... Research and").
    if (CONNECTORS.has(bare(words[k - 1]))) continue;
    if (words.slice(0, k).some(tells)) ks.push(k);
  }
  if (ks.length === 0) return undefined;
  const k = pick(r, ks);
  return words
    .slice(0, k)
    .join(' ')
    .replace(/[\s,;:-]+$/, '');
}

/** Connecting words of English, Spanish, French, Turkish, Persian/Arabic transliterations and Russian names. */
const CONNECTORS = new Set(['and', 'of', 'the', 'for', '&', 'y', 'de', 'del', 'la', 'et', 've', 'va', 'wa', 'i', 'al']);

const bare = (w: string) => w.toLowerCase().replace(/[^a-z0-9-]/g, '');

// ---------------------------------------------------------------------------------------------------
// abbreviation

/**
 * Full word -> abbreviations in common English business use (company names on invoices, bills of lading
 * and in registries that truncate names: Tech, Intl, Mfg, Hldgs ...; the issue names Tech, Intl, Info, Dev,
 * Mfg, Elec, Sci, Grp, Hldgs, Corp, Co, Natl, Assn). Written for this benchmark from general usage.
 */
export const ABBREVIATIONS: Record<string, string[]> = {
  technology: ['Tech'],
  technologies: ['Tech', 'Techs'],
  international: ['Intl', "Int'l"],
  information: ['Info'],
  development: ['Dev', 'Devt'],
  manufacturing: ['Mfg'],
  electronics: ['Elec', 'Electr'],
  electronic: ['Elec'],
  science: ['Sci'],
  sciences: ['Sci'],
  scientific: ['Sci'],
  group: ['Grp'],
  holdings: ['Hldgs'],
  holding: ['Hldg'],
  corporation: ['Corp'],
  company: ['Co'],
  national: ['Natl', "Nat'l"],
  association: ['Assn', 'Assoc'],
  industries: ['Inds', 'Ind'],
  industrial: ['Indl', 'Ind'],
  industry: ['Ind'],
  engineering: ['Eng', 'Engg'],
  equipment: ['Equip'],
  trading: ['Trdg'],
  management: ['Mgmt', 'Mgt'],
  services: ['Svcs'],
  systems: ['Sys'],
  laboratory: ['Lab'],
  laboratories: ['Labs'],
  research: ['Res'],
  institute: ['Inst'],
  university: ['Univ'],
  academy: ['Acad'],
  department: ['Dept'],
  enterprises: ['Ent'],
  investment: ['Inv'],
  communications: ['Comms', 'Comm'],
  communication: ['Comm'],
  telecommunications: ['Telecom'],
  machinery: ['Mach'],
  products: ['Prods'],
  chemical: ['Chem'],
  chemicals: ['Chems'],
  pharmaceutical: ['Pharma'],
  construction: ['Constr'],
  general: ['Gen'],
  federal: ['Fed'],
  shipping: ['Shpg'],
  transportation: ['Transp'],
  brothers: ['Bros'],
  aviation: ['Avn'],
  petroleum: ['Petrol'],
};

/** Abbreviation -> full word (the reverse direction: the list abbreviates, the query spells out). */
const EXPANSIONS = new Map<string, string>();
for (const [full, abbrs] of Object.entries(ABBREVIATIONS))
  for (const a of abbrs) if (!EXPANSIONS.has(bare(a))) EXPANSIONS.set(bare(a), full);

/** Abbreviations that are also legal forms: changed only beside a non-legal word. */
const LEGALISH = new Set(['company', 'corporation', 'co', 'corp']);

/**
 * Abbreviates words the table covers (or expands abbreviations the list uses), at least one non-legal word,
 * each abbreviation with or without its full stop. Undefined when the name has no such word.
 */
export function abbreviate(r: Rng, name: string): string | undefined {
  const parts = name.split(/(\s+)/);
  const idx = parts.map((p, i) => [p, i] as const).filter(([p]) => /\S/.test(p));
  const changeable = idx.filter(([p]) => {
    const b = bare(p);
    return (ABBREVIATIONS[b]?.length ?? 0) > 0 || EXPANSIONS.has(b);
  });
  const nonLegal = changeable.filter(([p]) => !LEGALISH.has(bare(p)));
  if (nonLegal.length === 0) return undefined;
  const chosen = new Set<number>([pick(r, nonLegal)[1]]);
  for (const [, i] of changeable) if (r() < 0.4) chosen.add(i);
  for (const i of chosen) {
    const p = parts[i];
    const b = bare(p);
    const trail = /[,.;:)]*$/.exec(p)![0].replace(/^\./, '');
    const lead = /^[("']*/.exec(p)![0];
    let to: string;
    if ((ABBREVIATIONS[b]?.length ?? 0) > 0) to = pick(r, ABBREVIATIONS[b]) + (r() < 0.4 ? '.' : '');
    else to = EXPANSIONS.get(b)!.replace(/^./, (c) => c.toUpperCase());
    if (p === p.toUpperCase()) to = to.toUpperCase();
    parts[i] = lead + to + trail;
  }
  const out = parts.join('');
  return out === name ? undefined : out;
}

// ---------------------------------------------------------------------------------------------------
// chinese: a CN/HK organisation's English name written as its Chinese legal name

/**
 * English words of Chinese company names -> the Chinese words they translate (multi-word phrases first).
 * From the standard way PRC companies register and translate their names: place + trade name + industry +
 * organisational form (有限公司 "Co., Ltd.", 股份有限公司 "Joint-stock Co., Ltd.", 集团 "Group"), per the
 * PRC rules on enterprise name registration (企业名称登记管理规定) and common bilingual usage.
 */
const ZH_PHRASES: [string, string][] = [
  ['joint stock co ltd', '股份有限公司'],
  ['joint stock company limited', '股份有限公司'],
  ['jointstock co ltd', '股份有限公司'],
  ['company limited by shares', '股份有限公司'],
  ['co ltd', '有限公司'],
  ['company limited', '有限公司'],
  ['co limited', '有限公司'],
  ['import and export', '进出口'],
  ['import export', '进出口'],
  ['science and technology', '科技'],
  ['research institute', '研究所'],
  ['research center', '研究中心'],
  ['research centre', '研究中心'],
  ['key laboratory', '重点实验室'],
  ['high technology', '高科技'],
  ['hi tech', '高科技'],
  ['high tech', '高科技'],
  ['integrated circuit', '集成电路'],
  ['integrated circuits', '集成电路'],
  ['supply chain', '供应链'],
  ['new energy', '新能源'],
  ['public security', '公安'],
  ['autonomous prefecture', '自治州'],
  ['autonomous region', '自治区'],
  ['research and development', '研发'],
  ['state key laboratory', '国家重点实验室'],
  ['state owned', '国有'],
];
const ZH_WORDS: Record<string, string> = {
  limited: '有限公司',
  ltd: '有限公司',
  corporation: '公司',
  corp: '公司',
  company: '公司',
  co: '公司',
  inc: '公司',
  incorporated: '公司',
  technology: '科技',
  tech: '科技',
  technologies: '技术',
  technical: '技术',
  electronics: '电子',
  electronic: '电子',
  information: '信息',
  international: '国际',
  group: '集团',
  holdings: '控股',
  holding: '控股',
  semiconductor: '半导体',
  semiconductors: '半导体',
  microelectronics: '微电子',
  communication: '通信',
  communications: '通信',
  telecommunications: '电信',
  equipment: '设备',
  trading: '贸易',
  trade: '贸易',
  industrial: '实业',
  industry: '工业',
  industries: '工业',
  science: '科学',
  sciences: '科学',
  scientific: '科学',
  engineering: '工程',
  development: '发展',
  investment: '投资',
  management: '管理',
  services: '服务',
  service: '服务',
  systems: '系统',
  system: '系统',
  software: '软件',
  network: '网络',
  networks: '网络',
  aviation: '航空',
  aerospace: '航天',
  optical: '光学',
  optics: '光学',
  optoelectronic: '光电',
  optoelectronics: '光电',
  photonics: '光子',
  instrument: '仪器',
  instruments: '仪器',
  machinery: '机械',
  materials: '材料',
  material: '材料',
  energy: '能源',
  power: '动力',
  electric: '电气',
  precision: '精密',
  automation: '自动化',
  intelligent: '智能',
  intelligence: '智能',
  digital: '数字',
  computer: '计算机',
  computing: '计算',
  data: '数据',
  cloud: '云',
  storage: '存储',
  security: '安全',
  logistics: '物流',
  shipping: '航运',
  shipbuilding: '造船',
  heavy: '重型',
  chemical: '化工',
  biotechnology: '生物技术',
  pharmaceutical: '制药',
  medical: '医疗',
  university: '大学',
  academy: '研究院',
  laboratory: '实验室',
  center: '中心',
  centre: '中心',
  institute: '研究所',
  research: '研究',
  national: '国家',
  china: '中国',
  chinese: '中国',
  new: '新',
  control: '控制',
  components: '元器件',
  devices: '器件',
  products: '产品',
  robotics: '机器人',
  robot: '机器人',
  vision: '视觉',
  display: '显示',
  navigation: '导航',
  satellite: '卫星',
  radar: '雷达',
  unmanned: '无人',
  aircraft: '飞机',
  vehicle: '车辆',
  battery: '电池',
  laser: '激光',
  testing: '测试',
  measurement: '测量',
  defense: '国防',
  nuclear: '核',
  physics: '物理',
  applied: '应用',
  commercial: '商业',
  enterprise: '企业',
  enterprises: '企业',
  construction: '建设',
  media: '传媒',
  capital: '资本',
  finance: '金融',
  bank: '银行',
  express: '快递',
  export: '出口',
  import: '进口',
  smart: '智能',
  micro: '微',
  machine: '机器',
  manufacturing: '制造',
  mining: '矿业',
  steel: '钢铁',
  metal: '金属',
  metals: '金属',
  supply: '供应',
  solutions: '解决方案',
  advanced: '先进',
  special: '特种',
  institution: '机构',
  private: '民营',
  subordinate: '下属',
  affiliated: '附属',
  military: '军事',
  aero: '航空',
  aeronautical: '航空',
  aeronautics: '航空',
  engine: '发动机',
  municipality: '市',
  district: '区',
  supercomputing: '超级计算',
  business: '商务',
  global: '环球',
  offshore: '海洋',
  marine: '海洋',
  turbine: '涡轮',
  cable: '电缆',
  freight: '货运',
  microsystems: '微系统',
  circuit: '电路',
  waterway: '航道',
  carbon: '碳',
  first: '第一',
  second: '第二',
  third: '第三',
  design: '设计',
  production: '生产',
  and: '',
};

/** Chinese place names as written in characters (the official names; general geographic knowledge). */
const ZH_PLACES: Record<string, string> = {
  beijing: '北京',
  shanghai: '上海',
  shenzhen: '深圳',
  guangzhou: '广州',
  hangzhou: '杭州',
  wuhan: '武汉',
  chengdu: '成都',
  tianjin: '天津',
  nanjing: '南京',
  xian: '西安',
  hongkong: '香港',
  zhuhai: '珠海',
  xiamen: '厦门',
  dalian: '大连',
  harbin: '哈尔滨',
  changsha: '长沙',
  hefei: '合肥',
  suzhou: '苏州',
  qingdao: '青岛',
  chongqing: '重庆',
  zhengzhou: '郑州',
  jinan: '济南',
  shenyang: '沈阳',
  kunming: '昆明',
  fuzhou: '福州',
  dongguan: '东莞',
  ningbo: '宁波',
  wuxi: '无锡',
  changchun: '长春',
  taiyuan: '太原',
  nanchang: '南昌',
  guiyang: '贵阳',
  lanzhou: '兰州',
  urumqi: '乌鲁木齐',
  mianyang: '绵阳',
  guangdong: '广东',
  jiangsu: '江苏',
  zhejiang: '浙江',
  sichuan: '四川',
  hubei: '湖北',
  hunan: '湖南',
  shandong: '山东',
  fujian: '福建',
  anhui: '安徽',
  shaanxi: '陕西',
  shanxi: '山西',
  henan: '河南',
  hebei: '河北',
  liaoning: '辽宁',
  jilin: '吉林',
  heilongjiang: '黑龙江',
  guizhou: '贵州',
  yunnan: '云南',
  guangxi: '广西',
  jiangxi: '江西',
  xinjiang: '新疆',
  zhongguancun: '中关村',
  pudong: '浦东',
  haidian: '海淀',
  macau: '澳门',
  macao: '澳门',
  taiwan: '台湾',
};

/**
 * Characters commonly used in Chinese company trade names, each for its usual syllable (general
 * knowledge). Used only where pinyin-pro reads the character with that syllable by default; other
 * syllables fall back to a character whose only reading is the syllable.
 */
const COMMON_HAN =
  '华为中国新信天龙大海金宝安德盛达电力通科技创源鑫泰恒晶微芯光明星东南西北云飞航宇航空兴业集团长城' +
  '先进精工机械智能数码网络讯联合众腾阳辉瑞祥富康荣昌隆和平丰利广汇远鸿博凯维宏浩伟志诚正方圆立美嘉' +
  '桂贵吉庆春秋松柏梅兰竹菊鼎盈顺福禄寿喜财旺兆亿铭锦' +
  '川久特胜江河湖山林森鹏旭晨润泽永嘉佳威力锐捷迅帆航舟洋峰岭园苑亚欧美英法德俄日韩港澳台湾' +
  '的一是不了人我在有他这大来上个到说们子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小' +
  '么心多而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两知' +
  '民样现分将外但身些与高意进把法此实回二理点月明其种声全己话儿者向情部正名定女问机给等几很最间什打' +
  '便位因重被走电四第门相次政口使教再平真听世气北少关并内加化由却代军产入先五太水万市眼体别处总才场' +
  '师书比住员九笑性通目报立马命张活难神数件表原车白应路期叫死常提感何更反合放做系计或司受王果亲界及' +
  '今京务制解各任至清物象记边共风战干接它许八觉望直服毛题建度统色字请交爱让认算论百切思非程完资越';

let zhChar: Map<string, string> | undefined;
function syllableChars(): Map<string, string> {
  if (zhChar) return zhChar;
  zhChar = new Map();
  for (const ch of COMMON_HAN) {
    const syl = pinyin(ch, { toneType: 'none' });
    if (/^[a-z]+$/.test(syl) && !zhChar.has(syl)) zhChar.set(syl, ch);
  }
  for (let c = 0x4e00; c < 0x9fa5; c++) {
    const ch = String.fromCharCode(c);
    const all = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' });
    if (all.length === 1 && /^[a-z]+$/.test(all[0]) && !zhChar.has(all[0])) zhChar.set(all[0], ch);
  }
  return zhChar;
}

/**
 * Splits a romanised word into Hanyu Pinyin syllables, or undefined when it is not pinyin. A syllable
 * after the first must start with a consonant (pinyin writes a vowel-initial syllable after another with
 * an apostrophe, Xi'an), which also keeps English words like "sea" (se+a) out.
 */
export function pinyinSyllables(word: string): string[] | undefined {
  const map = syllableChars();
  const w = word.toLowerCase();
  const memo = new Map<number, string[] | null>();
  const go = (i: number): string[] | null => {
    if (i === w.length) return [];
    if (memo.has(i)) return memo.get(i)!;
    let res: string[] | null = null;
    for (let len = Math.min(6, w.length - i); len >= 1 && !res; len--) {
      const syl = w.slice(i, i + len);
      if (!map.has(syl)) continue;
      if (i > 0 && /^[aoe]/.test(syl)) continue;
      // 么 me and 色 se hardly occur in trade names; English words split into them (sense-time, some).
      if (syl === 'me' || syl === 'se') continue;
      const rest = go(i + len);
      if (rest) res = [syl, ...rest];
    }
    memo.set(i, res);
    return res;
  };
  return go(0) ?? undefined;
}

const ZH_DIGITS = '零一二三四五六七八九';

/** 1-999 in Chinese numerals: 54 -> 五十四, 10 -> 十, 101 -> 一百零一. */
export function chineseNumber(n: number): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  let out = h ? `${ZH_DIGITS[h]}百` : '';
  if (t) out += (t === 1 && !h ? '' : ZH_DIGITS[t]) + '十';
  else if (h && u) out += '零';
  if (u) out += ZH_DIGITS[u];
  return out;
}

/**
 * The Chinese legal name of a party listed under an English name: company words translated, places and
 * pinyin trade names in characters, "A of B" turned to B A (Chinese puts the owner first), in Chinese
 * order with no spaces. Undefined when a word has no sensible Chinese rendering, when nothing is
 * translated (then it would be the 'script' class), or when the name has digits or "and" outside a phrase.
 */
export function toChineseName(name: string): string | undefined {
  let s = name
    .replace(/\([^)]*\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/\bxi['’?]an\b/gi, 'xian') // Xi'an, sometimes with a lost apostrophe
    .replace(/[’']/g, '')
    .toLowerCase()
    .replace(/hong kong/g, 'hongkong');
  // An abbreviated word ("Fuhua Precision Man. Co"): its Chinese word is unknown.
  if (/\b(?!(co|ltd|inc|corp|no)\.)[a-z]{2,5}\./i.test(name.replace(/\([^)]*\)/g, ' '))) return undefined;
  // Ordinals as Chinese writes them: "54th" -> 第五十四.
  s = s.replace(/\b(\d{1,3})(st|nd|rd|th)\b/g, (_, n: string) => ` zhnum${n} `);
  if (/\d(?<!zhnum\d*)/.test(s.replace(/zhnum\d+/g, ''))) return undefined;
  s = s
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/^the /, '');
  // "A of B" -> "B A" (the legal form, at the end, stays at the end).
  const ofAt = s.indexOf(' of ');
  if (ofAt > 0) {
    const a = s.slice(0, ofAt);
    let b = s.slice(ofAt + 4);
    let tail = '';
    const form = / (co ltd|company limited|co limited|limited|ltd)$/.exec(b);
    if (form) {
      tail = form[0];
      b = b.slice(0, form.index);
    }
    if (b.includes(' of ')) return undefined;
    // A place at the front stays at the front: "Nanjing Institute of Aircraft Systems" -> 南京 飞机系统 研究所.
    const place = /^(\S+) /.exec(a);
    s = place && ZH_PLACES[place[1]] ? `${place[1]} ${b} ${a.slice(place[0].length)}${tail}` : `${b} ${a}${tail}`;
  }
  const words = s.split(' ').filter(Boolean);
  let out = '';
  let translated = 0;
  for (let i = 0; i < words.length; ) {
    let hit = false;
    for (const [phrase, zh] of ZH_PHRASES) {
      const n = phrase.split(' ').length;
      if (words.slice(i, i + n).join(' ') === phrase) {
        out += zh;
        i += n;
        translated++;
        hit = true;
        break;
      }
    }
    if (hit) continue;
    const w = words[i];
    const num = /^zhnum(\d+)$/.exec(w);
    if (num) {
      out += `第${chineseNumber(Number(num[1]))}`;
      i++;
      continue;
    }
    if (ZH_WORDS[w] !== undefined) {
      // "... Group Corporation" is 集团公司; "Company Limited" already matched as a phrase.
      out += ZH_WORDS[w];
      translated++;
    } else if (ZH_PLACES[w]) out += ZH_PLACES[w];
    else {
      // An English word ("marine", "amaze") is no pinyin even when it splits into syllables.
      const syl = w.length >= 2 && !(w.length >= 4 && commonEnglish(w)) ? pinyinSyllables(w) : undefined;
      if (!syl) return undefined;
      const map = syllableChars();
      out += syl.map((x) => map.get(x)!).join('');
    }
    i++;
  }
  if (translated === 0) return undefined;
  // 公司 directly followed by 有限公司 (Corporation Limited) is written once.
  return out.replace(/公司有限公司$/, '有限公司');
}

// ---------------------------------------------------------------------------------------------------
// cyrillic: a Russian or Belarusian organisation written as Russians write it

/**
 * English (or romanised Russian) legal forms -> the Russian abbreviation, which Russians write first:
 * ООО (obshchestvo s ogranichennoi otvetstvennostyu, LLC), АО (aktsionernoe obshchestvo, JSC), ОАО / ЗАО
 * (open / closed JSC, pre-2014 forms), ПАО (public JSC), ФГУП (federal state unitary enterprise) — the
 * organisational-legal forms of the Civil Code of the Russian Federation, Part 1, ch. 4.
 */
const RU_FORMS: [RegExp, string][] = [
  [/\b(open joint[- ]stock company|ojsc|oao|otkrytoe aktsionernoe obshchestvo)\b/i, 'ОАО'],
  [/\b(closed joint[- ]stock company|cjsc|zao|zakrytoe aktsionernoe obshchestvo)\b/i, 'ЗАО'],
  [/\b(public joint[- ]stock company|pjsc|pao|publichnoe aktsionernoe obshchestvo)\b/i, 'ПАО'],
  [/\b(joint[- ]stock company|jsc|ao|aktsionernoe obshchestvo)\b/i, 'АО'],
  [/\b(limited liability company|llc|ooo|obshchestvo s ogranichennoi otvetstvennostyu)\b/i, 'ООО'],
  [/\b(federal state unitary enterprise|fsue|fgup)\b/i, 'ФГУП'],
];

/**
 * Kinds of organisation -> Russian, moved to the front of the name (Russian puts the kind first:
 * Концерн «Калашников», Завод «...», НПО «...»). Standard Russian terms and their usual abbreviations
 * (НПО научно-производственное объединение, НПП научно-производственное предприятие, НИИ
 * научно-исследовательский институт, КБ конструкторское бюро, ОКБ опытно-конструкторское бюро).
 */
const RU_KINDS: [RegExp, string][] = [
  [/\b(scientific[- ]production association|research and production association|npo)\b/i, 'НПО'],
  [/\b(scientific[- ]production enterprise|research and production enterprise|npp)\b/i, 'НПП'],
  [/\b(scientific[- ]production cent(er|re)|research and production cent(er|re)|ntts)\b/i, 'НПЦ'],
  [/\b(central (scientific )?research institute|tsnii)\b/i, 'ЦНИИ'],
  [/\b(scientific research institute|research institute|nii)\b/i, 'НИИ'],
  [/\b(experimental design bureau|okb)\b/i, 'ОКБ'],
  [/\b(design bureau|kb)\b/i, 'КБ'],
  [/\bproduction association\b/i, 'ПО'],
  [/\btrading house\b/i, 'Торговый дом'],
  [/\bstate corporation\b/i, 'Госкорпорация'],
  [/\bconcern\b/i, 'Концерн'],
  [/\b(plant|factory|zavod)\b/i, 'Завод'],
  [/\b(institute|institut)\b/i, 'Институт'],
  [/\bbureau\b/i, 'Бюро'],
  [/\bcorporation\b/i, 'Корпорация'],
  [/\bholding\b/i, 'Холдинг'],
  [/\bgroup\b/i, 'Группа'],
  [/\bcent(er|re)\b/i, 'Центр'],
  [/\benterprise\b/i, 'Предприятие'],
  [/\bbank\b/i, 'Банк'],
  [/\bshipyard\b/i, 'Судоверфь'],
  [/\bassociation\b/i, 'Объединение'],
  [/\bagency\b/i, 'Агентство'],
  [/\buniversity\b/i, 'Университет'],
  [/\bacademy\b/i, 'Академия'],
  [/\b(foundation|fund)\b/i, 'Фонд'],
  [/\bcompany\b/i, 'Компания'],
];

/** English words inside Russian company names that Russians also use, in their Russian form. */
const RU_WORDS: Record<string, string> = {
  technologies: 'Технологии',
  technology: 'Технологии',
  systems: 'Системы',
  electronics: 'Электроника',
  engineering: 'Инжиниринг',
  trading: 'Трейдинг',
  invest: 'Инвест',
  investment: 'Инвест',
  service: 'Сервис',
  services: 'Сервис',
  group: 'Групп',
  logistics: 'Логистик',
  consulting: 'Консалтинг',
  cis: 'СНГ',
  energy: 'Энерго',
  moscow: 'Москва',
  petersburg: 'Петербург',
  russia: 'Россия',
  minsk: 'Минск',
};

/** English words that are not proper names and that this table does not translate: such entries are skipped. */
const ENGLISH = new Set(
  (
    'the of and for in on at with by to scientific research production experimental mechanical central state ' +
    'federal national russian belarusian military ministry defense defence special design repair armament ' +
    'radioelectronic aircraft testing testing composite materials chemical technical technological industrial ' +
    'industry industries aviation air airlines engine engines instrument instruments machine building ' +
    'machine-building shipbuilding ship ship-repair navigation radio electronic electric power energy nuclear ' +
    'space rocket missile missiles complex complexes control management information communications communication ' +
    'united general main international trade import export oil gas petroleum petrochemical mining metallurgical ' +
    'steel works semiconductor devices device optical optics precision measuring measurement equipment vehicles ' +
    'automobile tractor helicopters helicopter aerospace scientific-production research-and-production and ' +
    'public open closed joint stock limited liability office division branch department security systems ' +
    'solutions new first north south east west financial finance capital credit commercial insurance agro ' +
    'transport shipping logistics marine sea river port railway railways construction development holding ' +
    'microelectronics electronics components technologies technology engineering trading services service company ' +
    'corporation center centre plant factory institute bureau concern enterprise bank shipyard association agency ' +
    'university academy foundation fund group st saint moscow petersburg'
  ).split(' '),
);

/**
 * Romanised Russian back to Cyrillic: the reverse of the BGN/PCGN and passport (ICAO) romanisations most
 * English listings use (kh х, zh ж, ts ц, ch ч, sh ш, shch щ, ya я, yu ю, ye е, iy/yy й/ый at a word's end),
 * "e" at a word's start, after a vowel or before x/ks as э.
 */
const RU_LETTERS: [string, string][] = [
  ['shch', 'щ'],
  ['kh', 'х'],
  ['zh', 'ж'],
  ['ts', 'ц'],
  ['tz', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['yo', 'ё'],
  ['ye', 'е'],
  ['ck', 'к'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['c', 'к'],
  ['x', 'кс'],
  ['w', 'в'],
  ['h', 'х'],
  ['j', 'дж'],
  ['q', 'к'],
];
const VOWELS = 'aeiouy';

export function russianWord(word: string): string {
  const s = word.toLowerCase();
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i];
    const prev = i > 0 ? s[i - 1] : '';
    if (c === 'y') {
      const next = s[i + 1] ?? '';
      // -iy / -yy / vowel+y at a word's end or before a consonant: й (ый after a consonant).
      if (!VOWELS.includes(next) || next === '') {
        if (prev && VOWELS.includes(prev)) out += 'й';
        else out += 'ы';
        i++;
        continue;
      }
    }
    // э: a word's first e, e after a vowel (Aeroflot), and the e of ex- in loanwords (eksport, Rosoboronexport).
    const ex = s[i + 1] === 'x' || (s[i + 1] === 'k' && s[i + 2] === 's');
    if (c === 'e' && (i === 0 || (VOWELS.includes(prev) && prev !== 'y') || ex) && s[i + 1] !== 'y') {
      out += 'э';
      i++;
      continue;
    }
    if (c === "'") {
      out += 'ь';
      i++;
      continue;
    }
    const hit = RU_LETTERS.find(([l]) => s.startsWith(l, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += c;
      i++;
    }
  }
  // ий: "iy" rendered above as и + ы at the end; the usual adjective ending is ий.
  return out.replace(/иы$/, 'ий').replace(/ыы$/, 'ый');
}

/**
 * The name as a Russian counterparty writes it: the legal form's Russian abbreviation first, then the kind
 * of organisation in Russian, then the proper name in Cyrillic (quoted « », " " or not at all). Undefined
 * when the name has neither a legal form nor a kind of organisation (that would be the 'script' class) or
 * keeps an English word this generator cannot translate.
 */
export function toRussianName(r: Rng, name: string): string | undefined {
  let rest = ` ${name.replace(/\([^)]*\)/g, ' ').replace(/[«»"“”']/g, ' ')} `;
  let form = '';
  for (const [re, ru] of RU_FORMS)
    if (re.test(rest)) {
      form = ru;
      rest = rest.replace(re, ' ');
      break;
    }
  let kind = '';
  for (const [re, ru] of RU_KINDS)
    if (re.test(rest)) {
      kind = ru;
      rest = rest.replace(re, ' ');
      break;
    }
  if (!form && !kind) return undefined;
  // Digits, a half-removed hyphenated word ("Alfa-Bank") or lost characters: no clean Russian rendering.
  if (/\d|\?|(^|\s)-|-(\s|$)/.test(rest)) return undefined;
  const words = rest
    .replace(/[,;.]+/g, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return undefined;
  const ru: string[] = [];
  for (const w of words) {
    const b = w.toLowerCase();
    if (RU_WORDS[b]) ru.push(RU_WORDS[b]);
    else if (ENGLISH.has(b) || b === '-') return undefined;
    else ru.push(w.split('-').map(russianWord).join('-'));
  }
  const upper = r() < 0.5;
  const proper = ru.map((w) => (upper ? w.toUpperCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join(' ');
  const q = pick(r, [
    ['«', '»'],
    ['"', '"'],
    ['', ''],
  ]);
  const body = kind ? `${kind} ${q[0]}${proper}${q[1]}` : `${q[0]}${proper}${q[1]}`;
  return form ? `${form} ${body}` : body;
}
