/** HTTP helpers shared by the admin and the public site (multipart uploads streamed to disk). */
export { receiveUpload, uploadScope, type ReceivedFile, type ReceivedUpload, type UploadLimits } from './uploads.ts'
