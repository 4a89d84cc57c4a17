export { createSettingsService, SiteSettings, SettingsErrors, type SettingsService, type SiteSettingsPatch } from './service.ts'
