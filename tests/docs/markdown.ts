/**
 * The parts of a Markdown file the documentation tests read: fenced code blocks, and the targets
 * of links and images, each with the line it is on so a failure can point at it.
 */

/**
 * A fenced code block: its language tag, the lines of its opening and closing fences (1-based),
 * and its text.
 */
export interface CodeBlock {
  language: string;
  line: number;
  end: number;
  code: string;
}

/** A link or image target, with its line (1-based). */
export interface LinkTarget {
  line: number;
  target: string;
  image: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;

/** Every fenced code block of `markdown`, in order. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split("\n");
  let open: { fence: string; language: string; line: number; body: string[] } | undefined;
  lines.forEach((text, index) => {
    const fence = FENCE.exec(text);
    if (open === undefined) {
      if (fence) open = { fence: fence[1]!, language: fence[2]!, line: index + 1, body: [] };
      return;
    }
    // A block closes on a fence of the same character, at least as long, with nothing after it.
    const closing = fence !== null && fence[2] === "" && fence[1]![0] === open.fence[0] &&
      fence[1]!.length >= open.fence.length;
    if (closing) {
      const code = open.body.join("\n") + "\n";
      blocks.push({ language: open.language, line: open.line, end: index + 1, code });
      open = undefined;
    } else {
      open.body.push(text);
    }
  });
  if (open !== undefined) {
    throw new SyntaxError(`codeBlocks(): the block opened on line ${open.line} never closes`);
  }
  return blocks;
}

// `[text](target)` and `![alt](target "title")`; the text may hold one level of brackets.
const INLINE_LINK = /(!?)\[(?:[^\[\]]|\[[^\[\]]*\])*\]\(\s*<?([^\s)>]*)>?(?:\s+"[^"]*")?\s*\)/g;
// `<img src="…">` and `<a href="…">`, which READMEs use for sized images.
const HTML_LINK = /<(img|a)\s[^>]*?\b(?:src|href)="([^"]*)"/gi;
// `[label]: target`, a reference definition.
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/;

/**
 * The target of every link, image and reference definition in `markdown`, outside code blocks and
 * code spans (where `[Symbol.dispose]()` is code, not a link).
 */
export function linkTargets(markdown: string): LinkTarget[] {
  const targets: LinkTarget[] = [];
  const inBlock = blockLines(markdown);
  markdown.split("\n").forEach((text, index) => {
    const line = index + 1;
    if (inBlock.has(line)) return;
    const prose = text.replace(/(`+)[^`]*?\1/g, "");
    for (const match of prose.matchAll(INLINE_LINK)) {
      targets.push({ line, target: match[2]!, image: match[1] === "!" });
    }
    for (const match of prose.matchAll(HTML_LINK)) {
      targets.push({ line, target: match[2]!, image: match[1]!.toLowerCase() === "img" });
    }
    const reference = REFERENCE.exec(prose);
    if (reference) targets.push({ line, target: reference[1]!, image: false });
  });
  return targets;
}

/**
 * The anchors GitHub gives the headings of `markdown`: lower case, punctuation dropped, spaces
 * as hyphens, a repeated heading numbered (`-1`, `-2`).
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const inBlock = blockLines(markdown);
  markdown.split("\n").forEach((text, index) => {
    if (inBlock.has(index + 1)) return;
    const heading = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
    if (!heading) return;
    const base = heading[1]!.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  });
  return anchors;
}

/** The lines (1-based) that belong to fenced code blocks, fences included. */
function blockLines(markdown: string): Set<number> {
  const lines = new Set<number>();
  for (const block of codeBlocks(markdown)) {
    for (let line = block.line; line <= block.end; line++) lines.add(line);
  }
  return lines;
}
