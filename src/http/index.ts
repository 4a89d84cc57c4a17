/** HTTP helpers shared by the admin, the public site and the APIs: multipart uploads streamed to disk, problem details, outbound requests, browser script bundles. */
export { receiveUpload, uploadScope, type ReceivedFile, type ReceivedUpload, type UploadLimits } from './uploads.ts'
export { sendProblem, problemDetails, type ProblemFailure } from './problem.ts'
export { browserSource, buildBrowserBundles, bundleBrowserCode, prebuiltKey, type BrowserBundle, type BuiltBundles } from './browser-bundle.ts'
export { classifyHost, guardedLookup, isPrivateAddress, refusedLiteral } from './outbound.ts'
