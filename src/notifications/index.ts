export { createNotificationService, type NotificationService, type Notification, type Person, type NotifyInput } from './service.ts'
export { subscribeStoryAlerts } from './story-alerts.ts'
export type { NotificationKind } from './tables.ts'
