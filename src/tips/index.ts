// Public API of the tips domain: anonymous, end-to-end encrypted whistleblower tips and the award
// calculator.
export { computeAward, parseUSD, PROGRAMMES, type Award, type Programme } from './award.js';
export { loadSodium } from './sodium.js';
export {
  addRecipient,
  followUp,
  listRecipients,
  publishCommitments,
  readTips,
  removeRecipient,
  replyToTip,
  submitTip,
  type TipView,
} from './service.js';
