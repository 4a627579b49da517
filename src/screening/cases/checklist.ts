// The enhanced-vetting checklist for higher-risk customers (BACKGROUND.md §4.2, the study's Figure 9
// and BIS "Know Your Customer" guidance). Resellers and distributors also get their own sales and KYC
// records audited.

export type ChecklistOutcome = 'ok' | 'concern' | 'not-applicable';

export interface ChecklistItem {
  id: string;
  title: string;
  citation: string;
  resellersOnly?: boolean;
}

const STUDY = 'Study, Figure 9 (enhanced vetting of higher-risk customers)';
const KYC = 'EAR Supp. No. 3 to Part 732 (BIS Know Your Customer guidance and red flags)';

export const CHECKLIST: readonly ChecklistItem[] = [
  { id: 'sales-history', title: 'Sales history with this customer reviewed', citation: STUDY },
  {
    id: 'key-personnel',
    title: 'Key personnel and beneficial owners screened against the lists and checked for PRC ties',
    citation: STUDY,
  },
  { id: 'operating-history', title: 'Operational and financial history verified', citation: STUDY },
  { id: 'vouching-parties', title: 'Vouching parties (references, banks, partners) contacted', citation: STUDY },
  { id: 'site-visit', title: 'Office or data-centre visit made (or remote inspection with evidence)', citation: STUDY },
  { id: 'ear-red-flags', title: 'Red flags of EAR Supp. No. 3 to Part 732 reviewed and resolved', citation: KYC },
  {
    id: 'end-use-statement',
    title: 'End use and end user statement obtained and consistent with the business',
    citation: KYC,
  },
  {
    id: 'reseller-audit',
    title: "Reseller's own sales records and KYC procedures audited",
    citation: STUDY,
    resellersOnly: true,
  },
];

const RESELLER_TYPES = new Set(['reseller', 'distributor', 'freight-forwarder']);

export function checklistFor(businessType: string | undefined): readonly ChecklistItem[] {
  const reseller = businessType !== undefined && RESELLER_TYPES.has(businessType);
  return CHECKLIST.filter((i) => !i.resellersOnly || reseller);
}
