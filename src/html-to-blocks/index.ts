export { htmlToBlocks, htmlToText, nodesToBlocks, nodesToText, resolveUrl, textToBlocks, MAX_DEPTH, type Converted, type ConvertOptions, type FoundPicture, type HNode } from './convert.ts'
