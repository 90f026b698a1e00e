/** How the panel writes numbers: durations, sizes, rates. Pure, so tests can assert the exact text. */

/** `0.4 s`, `14.8 s`, `3 min 05 s`, `1 h 02 min`; an em dash for unknown. */
export function formatDuration(seconds: number | null): string {
    if (seconds === null || !Number.isFinite(seconds) || seconds < 0) {
        return '—';
    }
    if (seconds < 60) {
        return `${seconds.toFixed(1)} s`;
    }
    const whole = Math.floor(seconds);
    const h = Math.floor(whole / 3600);
    const m = Math.floor((whole % 3600) / 60);
    const s = whole % 60;
    return h > 0 ? `${h} h ${pad(m)} min` : `${m} min ${pad(s)} s`;
}

/** Megabytes (10^6 bytes, as file managers count), one decimal under 100 MB. */
export function formatMegabytes(bytes: number | null): string {
    if (bytes === null) {
        return '—';
    }
    const mb = bytes / 1e6;
    return mb < 100 ? mb.toFixed(1) : Math.round(mb).toLocaleString('en-US');
}

export function formatPercent(fraction: number | null): string {
    return fraction === null ? '—' : `${(fraction * 100).toFixed(1)} %`;
}

/** A number with a fixed count of decimals, or an em dash. */
export function formatNumber(value: number | null, decimals: number): string {
    return value === null
        ? '—'
        : value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Learning rates span decades: `3.0e-3`. */
export function formatRate(value: number | null): string {
    return value === null ? '—' : value.toExponential(1);
}

/** A Unix time as the local date and time, `2026-11-28 10:24`. */
export function formatDateTime(unixSeconds: number | null): string {
    if (unixSeconds === null) {
        return 'unknown time';
    }
    const d = new Date(unixSeconds * 1000);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A Unix time as the local time of day, `10:24:33`, for log lines. */
export function formatClock(unixSeconds: number | null): string {
    if (unixSeconds === null) {
        return '';
    }
    const d = new Date(unixSeconds * 1000);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function pad(n: number): string {
    return n.toString().padStart(2, '0');
}
