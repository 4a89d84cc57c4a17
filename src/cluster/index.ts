export { runPrimary, WORKER_INDEX_VARIABLE, type PrimaryOptions } from './primary.ts'
export { connectToPrimary, type Channel, type WorkerLink } from './worker-link.ts'
