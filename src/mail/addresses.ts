// What may reach a mail header: one line of text, and addresses plain enough that no header can be smuggled in.

/** Control characters (CR, LF, tabs...) become spaces: a value can never start a new header line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job
export const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

/** One plain address: no spaces or line breaks, no display name, no list. */
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

export const isPlainAddress = (address: string) => address.length <= 320 && ADDRESS.test(address);
