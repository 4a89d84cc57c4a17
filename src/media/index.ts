export { createMediaService, DEFAULT_MEDIA_LIMITS, variantWidths, type MediaService, type MediaServiceDeps, type MediaStore, type ImageProcessor, type Probe, type PictureUse, type MediaActor, type MediaLimits } from './service.ts'
export { detectImageFormat, claimedFormat, srcsetOf, variantNear, VARIANT_WIDTHS, MIME, FORMAT_NAME, type Picture, type PictureSources, type ServedVariant, type Variant, type VariantFormat, type SourceFormat } from './picture.ts'
export { MediaErrors } from './errors.ts'
export type { MediaTables } from './tables.ts'
