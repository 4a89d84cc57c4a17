export {
  createSubmissionService,
  DEFAULT_ATTACHMENT_LIMITS,
  mayReadTips,
  newReference,
  readerParagraphs,
  type AttachmentLimits,
  type AttachmentStore,
  type FollowUpView,
  type PurgeReport,
  type IncomingFile,
  type InboxFilter,
  type InboxItem,
  type OpenedBrowserTip,
  type Receipt,
  type SubmissionEvents,
  type SubmissionService,
} from './service.ts'
export { SubmissionErrors } from './errors.ts'
export { sniffAttachment, type SniffedType } from './sniff.ts'
export { createMemorySpentStore, createProofOfWork, createRedisSpentStore, solveProof, type ProofCheck, type ProofOfWork, type SpentStore } from './proof.ts'
export { createFormGuard, formSecret, type FormGuard, type TokenCheck } from './spam.ts'
export {
  canMove,
  countWords,
  nextStates,
  KIND_LABELS,
  STATE_LABELS,
  SUBMISSION_KINDS,
  SUBMISSION_STATES,
  type Submission,
  type SubmissionAttachment,
  type SubmissionKind,
  type SubmissionNote,
  type SubmissionState,
  type TipMessage,
} from './submission.ts'
export { newPassphrase, normalizePassphrase, PASSPHRASE_WORDS } from './passphrase.ts'
