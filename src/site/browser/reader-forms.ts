import { startProofs } from './proof.ts'

// The letter and opinion forms: only the proof of work.
startProofs()
