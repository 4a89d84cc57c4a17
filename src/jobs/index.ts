export { createJobRunner, type JobRunner, type JobRunnerDeps, type JobTurn, type PeriodicJob } from './runner.ts'
