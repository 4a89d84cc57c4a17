export { createMailer, mailFailure, type MailLog, type Mailer, type MailMessage, type MailerOptions, type SentMail } from './mailer.ts'
