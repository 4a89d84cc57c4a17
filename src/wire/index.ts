export { createWireService, type WireService, type DeskItem, type DeskGroup, type ItemVersion, type DiffPart, type WireNotice, type WireSourceConfig, type WireEvents } from './service.ts'
/** What publishing asks the desk: is this story's agency copy killed? */
export { wireSourceKills } from './kills.ts'
export { createParserProcess, type ParserProcess, type ParserProcessOptions } from './parser-process.ts'
export type { IngestInput, IngestReport, ItemOutcome, WireParser } from './ingest.ts'
export type { RoutingRule, Routing } from './routing.ts'
export type { CreateRule, CreateWireSource, DeskFilter } from './commands.ts'
export { WireDeskErrors } from './ingest-errors.ts'
export type { WireItem, WireIssue, ParseReport, WireFormat } from './wire-item.ts'
export type { FeedFetcher, FolderReader, PollOutcome } from './polling.ts'
export { pictureKey, type FetchedWirePicture } from './pictures.ts'
// The importers (src/importers) read HTML and XML exactly as the wire desk does: one converter, one hardened XML reader.
export { parseXml, XmlReadError, attr as xmlAttr, child as xmlChild, children as xmlChildren, childText as xmlChildText, textOf as xmlTextOf, type XmlElement } from './formats/xml.ts'
