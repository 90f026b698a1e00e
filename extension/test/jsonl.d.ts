/** The test bundle loads .jsonl fixtures as text (esbuild --loader:.jsonl=text). */
declare module '*.jsonl' {
    const text: string;
    export default text;
}
