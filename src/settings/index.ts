export { createSettingsService, DEFAULT_DECLINE_REASONS, SiteSettings, SettingsErrors, type SettingsService, type SiteSettingsPatch } from './service.ts'
