/**
 * The only way the panel builds DOM: elements from literal tag names, data as text nodes (`append` of a
 * string) and attributes through `setAttribute`. Runner strings (log lines, paths, pass names) therefore never
 * reach an HTML parser: a log line `<img src=x onerror=alert(1)>` stays text. Nothing here uses innerHTML.
 */

export type Child = Node | string | null | undefined | false;

/** Attributes set with setAttribute; `false`/`undefined` leave one out, `true` sets it empty (`hidden`). */
export type Attributes = Readonly<Record<string, string | boolean | undefined>>;

export function el<K extends keyof HTMLElementTagNameMap>(
    doc: Document,
    tag: K,
    attributes: Attributes = {},
    ...children: Child[]
): HTMLElementTagNameMap[K] {
    const element = doc.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === true) {
            element.setAttribute(name, '');
        } else if (typeof value === 'string') {
            element.setAttribute(name, value);
        }
    }
    append(element, children);
    return element;
}

/** Appends children; strings become text nodes. */
export function append(parent: Element, children: readonly Child[]): void {
    for (const child of children) {
        if (child !== null && child !== undefined && child !== false) {
            parent.append(child);
        }
    }
}

/** Replaces all children of `parent`. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
    parent.replaceChildren();
    append(parent, children);
}

/** Sets text only when it changed: a re-render then leaves untouched nodes alone (and screen readers quiet). */
export function setText(element: Element, text: string): void {
    if (element.textContent !== text) {
        element.textContent = text;
    }
}

export function setHidden(element: HTMLElement, hidden: boolean): void {
    if (element.hidden !== hidden) {
        element.hidden = hidden;
    }
}

/** A table with column headers (`th scope="col"`), the first cell of each row a row header, and a caption. */
export function table(
    doc: Document,
    caption: string,
    headers: readonly { readonly label: string; readonly numeric?: boolean }[],
    rows: readonly (readonly string[])[],
    className = '',
): HTMLTableElement {
    const head = el(
        doc,
        'tr',
        {},
        ...headers.map((h) => el(doc, 'th', { scope: 'col', class: h.numeric === true ? 'num' : undefined }, h.label)),
    );
    const body = rows.map((cells) =>
        el(
            doc,
            'tr',
            {},
            ...cells.map((text, i) =>
                i === 0
                    ? el(doc, 'th', { scope: 'row' }, text)
                    : el(doc, 'td', { class: headers[i]?.numeric === true ? 'num' : undefined }, text),
            ),
        ),
    );
    return el(
        doc,
        'table',
        { class: className === '' ? undefined : className },
        el(doc, 'caption', { class: 'visually-hidden' }, caption),
        el(doc, 'thead', {}, head),
        el(doc, 'tbody', {}, ...body),
    );
}
