/** Site settings as key/value rows; values are JSON, checked by the settings schema on read. */
export interface SettingsTable {
  key: string
  value: string
}

export interface SettingsTables {
  settings: SettingsTable
}
