import { randomBytes } from 'node:crypto'

/**
 * Passphrases for a tip's follow-up page: eight words drawn from a list of
 * 256 (one random byte each, so 64 bits with no bias). Words are plainer to
 * copy onto paper and read back than a string of letters and digits. The list
 * is our own: common, concrete English nouns of three to eight letters, no two
 * alike in spelling.
 *
 * Why 64 bits is enough here: the page that takes the passphrase is rate
 * limited per address and per reference, and the stored hash is slow (scrypt);
 * a stolen database also holds only age ciphertext, which the passphrase does
 * not open, so guessing it offline gains nothing readable.
 */
export const PASSPHRASE_WORDS: readonly string[] = Object.freeze([
  'acorn', 'actor', 'adobe', 'agent', 'album', 'alley', 'amber', 'anchor', 'angle', 'ankle', 'apple', 'apron', 'arena', 'arrow', 'atlas', 'attic',
  'autumn', 'avenue', 'badge', 'badger', 'bakery', 'ballad', 'bamboo', 'banjo', 'barley', 'barrel', 'basket', 'beacon', 'beaver', 'bench', 'berry',
  'bicycle', 'bishop', 'blanket', 'blossom', 'bonnet', 'border', 'bottle', 'branch', 'breeze', 'brick', 'bridge', 'bronze', 'bucket', 'buffalo',
  'bugle', 'bundle', 'butter', 'cabin', 'cactus', 'camel', 'canal', 'candle', 'canoe', 'canyon', 'carpet', 'carrot', 'castle', 'cedar', 'cellar',
  'chalk', 'cherry', 'chimney', 'cider', 'circus', 'citrus', 'clover', 'cobalt', 'coffee', 'comet', 'copper', 'coral', 'cotton', 'cousin', 'coyote',
  'cradle', 'crater', 'cricket', 'crystal', 'cushion', 'daisy', 'dancer', 'delta', 'desert', 'dolphin', 'donkey', 'dragon', 'drawer', 'eagle',
  'easel', 'eclipse', 'elbow', 'ember', 'engine', 'fabric', 'falcon', 'feather', 'fennel', 'ferry', 'fiddle', 'finch', 'flannel', 'flute', 'forest',
  'fossil', 'fountain', 'galaxy', 'garden', 'garlic', 'gazelle', 'ginger', 'glacier', 'globe', 'goose', 'granite', 'gravel', 'guitar', 'hammer',
  'harbor', 'harvest', 'hazel', 'hedge', 'helmet', 'heron', 'hollow', 'honey', 'hornet', 'island', 'ivory', 'jacket', 'jasmine', 'jewel', 'jigsaw',
  'jungle', 'kayak', 'kernel', 'kettle', 'kitten', 'ladder', 'lagoon', 'lantern', 'lemon', 'lentil', 'lilac', 'linen', 'lizard', 'lobster', 'locket',
  'magnet', 'mango', 'maple', 'marble', 'meadow', 'melon', 'meteor', 'mirror', 'mitten', 'monsoon', 'mosaic', 'muffin', 'mustard', 'napkin',
  'nectar', 'needle', 'noodle', 'nutmeg', 'oasis', 'olive', 'onion', 'orange', 'orbit', 'orchard', 'otter', 'oyster', 'paddle', 'palace', 'panda',
  'parade', 'parrot', 'peanut', 'pearl', 'pebble', 'pepper', 'piano', 'pickle', 'pigeon', 'pillow', 'pilot', 'planet', 'plum', 'pocket', 'pony',
  'poppy', 'potato', 'pretzel', 'puddle', 'puffin', 'pumpkin', 'quartz', 'quill', 'quiver', 'rabbit', 'radish', 'raven', 'ribbon', 'river', 'rocket',
  'saddle', 'saffron', 'salmon', 'sandal', 'saucer', 'scarf', 'shovel', 'silver', 'sketch', 'sparrow', 'spider', 'sponge', 'squash', 'statue',
  'stove', 'sugar', 'summit', 'sunset', 'tablet', 'teapot', 'thimble', 'thunder', 'tiger', 'timber', 'toffee', 'tomato', 'tonic', 'tractor',
  'trumpet', 'tulip', 'tunnel', 'turnip', 'turtle', 'umbrella', 'valley', 'velvet', 'violin', 'walnut', 'walrus', 'wander', 'weasel', 'whistle',
  'willow', 'window', 'winter', 'wizard', 'yogurt', 'zebra', 'zipper',
])

/** How many words a passphrase has. */
export const PASSPHRASE_LENGTH = 8

/** A fresh passphrase such as `harbor velvet acorn …`: words separated by single spaces. */
export function newPassphrase(): string {
  return [...randomBytes(PASSPHRASE_LENGTH)].map((b) => PASSPHRASE_WORDS[b]!).join(' ')
}

/**
 * The passphrase as typed, in the form it was hashed: lower case, words
 * separated by one space, whatever the tipster put between them (spaces,
 * hyphens, line breaks). Bounded, so a huge paste costs nothing.
 */
export function normalizePassphrase(typed: string): string {
  return typed
    .slice(0, 500)
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length > 0)
    .join(' ')
}
