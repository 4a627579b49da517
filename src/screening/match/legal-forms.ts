// Legal-form designators and filler words, as token sequences after ASCII folding and lower-casing.
// They say what kind of company a party is, not which one, so matching ignores them (the explanation
// still names them). Sources: ISO 20275 ELF code list (abridged) and the forms seen on the CSL.

/** Removed wherever they occur: no ordinary word collides with them. */
export const LEGAL_FORMS_ANYWHERE: readonly string[] = [
  // English / common law
  'limited liability company', 'limited liability partnership', 'limited partnership', 'private limited company',
  'public limited company', 'company limited', 'co ltd', 'pte ltd', 'pvt ltd', 'pty ltd', 'private limited',
  'ltd', 'limited', 'llc', 'l l c', 'llp', 'lllp', 'plc', 'inc', 'incorporated', 'corp', 'corporation', 'company', 'pte', 'pvt', 'pty',
  // Malaysia, Indonesia, Singapore, Thailand, Philippines
  'sdn bhd', 'sendirian berhad', 'berhad', 'bhd', 'sdn', 'tbk', 'persero',
  // German, Dutch, Nordic
  'gmbh', 'mbh', 'gmbh co kg', 'aktiengesellschaft', 'kommanditgesellschaft', 'ohg', 'ug haftungsbeschrankt', 'bvba',
  // Romance languages
  'sarl', 'srl', 'spa', 'sas', 'ltda', 'sociedad anonima', 'sa de cv', 's de rl de cv', 's de rl', 'sociedad limitada', 'societe anonyme', 'eirl',
  // Russian / CIS (after transliteration of ООО, АО, ...)
  'ooo', 'oao', 'zao', 'pao', 'fgup', 'fgbu', 'gup', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'chup',
  'obshchestvo s ogranichennoy otvetstvennostyu', 'obshchestvo s ogranichennoi otvetstvennostyu', 'tovarystvo z obmezhenoyu vidpovidalnistyu', 'aktsionernoe obshchestvo', 'publichnoe aktsionernoe obshchestvo',
  'otkrytoe aktsionernoe obshchestvo', 'zakrytoe aktsionernoe obshchestvo', 'joint stock company', 'public joint stock company',
  'open joint stock company', 'closed joint stock company', 'joint stock co',
  // Gulf free zones and Middle East
  'fze', 'fzco', 'fzc', 'fz llc', 'fzllc', 'wll', 'bsc', 'psc', 'saog', 'saoc', 'qsc', 'qpsc',
  // Chinese and Japanese (after pinyin / ASCII folding of 有限公司, 股份有限公司, 株式会社)
  'youxian gongsi', 'youxian zeren gongsi', 'gufen youxian gongsi', 'gongsi', 'kabushiki kaisha', 'zhushihuishe', 'godo kaisha', 'yugen kaisha',
  // Polish, Czech, Balkan, Turkish
  'sp z oo', 'spolka z oo', 'sro', 'doo', 'anonim sirketi', 'limited sirketi', 'ltd sti', 'sti',
];

/** Removed only at the start or end of a name: elsewhere they are words or initials. */
export const LEGAL_FORMS_AT_EDGES: readonly string[] = [
  'co', 'ag', 'kg', 'sa', 'ab', 'oy', 'oyj', 'ao', 'pt', 'cv', 'ad', 'sl', 'kk', 'bv', 'nv', 'dd', 'se', 'spa', 'ek', 'ehf', 'ip', 'tk', 'lp', 'as', 'sal', 'sak', 'tov', 'pat', 'odo',
];

/** The edge forms that also stand before a name ("PT Sumber", "AO Concern", "CV Maju"). */
export const LEGAL_FORMS_PREFIX: readonly string[] = ['pt', 'cv', 'ao', 'tov', 'pat', 'ip', 'tk', 'kk'];

/** Words that carry no identity: articles, prepositions, conjunctions in the lists' languages. */
export const FILLER_WORDS: ReadonlySet<string> = new Set([
  'the', 'of', 'and', 'for', 'a', 'an', 'de', 'del', 'della', 'di', 'des', 'du', 'la', 'le', 'les', 'el', 'al', 'y', 'e',
  'und', 'et', 'da', 'do', 'dos', 'das', 'der', 'die', 'von', 'zu', 'i', 've', 'va', 'na', 'po', 's', 'ul', 'ad',
]);

/** Script-level legal forms stripped before transliteration (longest first). */
export const LEGAL_FORMS_NATIVE: readonly string[] = [
  '股份有限公司', '有限责任公司', '有限責任公司', '有限公司', '股份公司', '总公司', '總公司', '分公司', '公司', '株式会社', '有限会社', '合同会社', '(株)',
  'ذ.م.م', 'ش.م.م', 'ش.م.ع',
];

/** Common Chinese business words with their usual English rendering in company names. */
export const CHINESE_BUSINESS_WORDS: Readonly<Record<string, string>> = {
  '科技': 'technology', '技术': 'technologies', '電子': 'electronics', '电子': 'electronics', '信息': 'information',
  '通信': 'communication', '通讯': 'communication', '网络': 'network', '软件': 'software', '半导体': 'semiconductor',
  '微电子': 'microelectronics', '集成电路': 'integrated circuit', '国际': 'international', '國際': 'international',
  '贸易': 'trading', '貿易': 'trading', '进出口': 'import export', '实业': 'industrial', '工业': 'industry', '设备': 'equipment',
  '仪器': 'instrument', '研究所': 'research institute', '研究院': 'research institute', '大学': 'university', '大學': 'university',
  '学院': 'institute', '航空': 'aviation', '航天': 'aerospace', '物流': 'logistics', '控股': 'holdings', '集团': 'group', '集團': 'group',
  '中心': 'center', '智能': 'intelligent', '计算机': 'computer', '计算': 'computing', '光电': 'optoelectronics', '系统': 'systems',
  '数据': 'data', '芯片': 'chip', '香港': 'hong kong', '澳门': 'macau', '發展': 'development', '发展': 'development',
};
