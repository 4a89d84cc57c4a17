export * from './body.ts'
