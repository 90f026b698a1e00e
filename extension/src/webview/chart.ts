/**
 * The loss chart, drawn by Chart.js (bundled into dist/webview.js). Only the pieces a line chart on linear axes
 * needs are registered, which keeps the bundle small.
 *
 * Chart.js works under the panel's CSP: it evaluates no strings and styles its canvas through the CSSOM
 * (`canvas.style.x = ...`), which `style-src` does not restrict. It paints on a canvas, where CSS variables do
 * not apply, so the theme colours are read from VS Code's `--vscode-*` variables and re-read on theme changes.
 */

import {
    Chart,
    Legend,
    LinearScale,
    LineController,
    LineElement,
    PointElement,
    Tooltip,
    type ChartDataset,
    type TooltipItem,
} from 'chart.js';
import type { ChartSeries, LossChart } from './view';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);

type XY = { x: number; y: number };
type LineDataset = ChartDataset<'line', XY[]>;

interface Theme {
    readonly foreground: string;
    readonly grid: string;
    readonly font: string;
    readonly palette: readonly string[];
}

/** Creates the chart on `canvas`; later data goes through `setSeries`, which updates it in place. */
export function createLossChart(canvas: HTMLCanvasElement): LossChart {
    let theme = readTheme(canvas);
    const chart = new Chart<'line', XY[]>(canvas, {
        type: 'line',
        data: { datasets: [] },
        options: {
            animation: false,
            parsing: false,
            normalized: true,
            responsive: true,
            maintainAspectRatio: false,
            interaction: { mode: 'nearest', axis: 'x', intersect: false },
            scales: {
                x: { type: 'linear', title: { display: true, text: 'step' }, ticks: { precision: 0 } },
                y: { type: 'linear', title: { display: true, text: 'loss' } },
            },
            plugins: {
                // thin boxes read as line samples: the eval curve's is dashed like the curve
                legend: { position: 'bottom', labels: { boxWidth: 28, boxHeight: 0 } },
                tooltip: { callbacks: { title: (items: TooltipItem<'line'>[]) => `step ${items[0]?.parsed.x ?? ''}` } },
            },
        },
    });
    applyTheme(chart, theme);

    return {
        setSeries(series: readonly ChartSeries[]): void {
            const previous = chart.data.datasets;
            chart.data.datasets = series.map((s) => {
                const dataset = previous.find((d) => d.label === s.label) ?? newDataset(s);
                // A copy: Chart.js instruments the arrays it is given, and the state's arrays are shared.
                dataset.data = s.points.map((p) => ({ x: p.x, y: p.y }));
                style(dataset, s, theme);
                return dataset;
            });
            chart.update('none');
        },
        refreshTheme(): void {
            theme = readTheme(canvas);
            applyTheme(chart, theme);
            chart.update('none');
        },
        destroy(): void {
            chart.destroy();
        },
    };
}

function newDataset(series: ChartSeries): LineDataset {
    return { label: series.label, data: [], tension: 0.2, pointRadius: series.kind === 'eval' ? 3 : 0, borderWidth: 2 };
}

function style(dataset: LineDataset, series: ChartSeries, theme: Theme): void {
    const colour = theme.palette[(series.group * 2 + (series.kind === 'eval' ? 1 : 0)) % theme.palette.length];
    dataset.borderColor = colour;
    dataset.backgroundColor = colour;
    dataset.borderDash = series.kind === 'eval' ? [6, 4] : [];
}

function applyTheme(chart: Chart<'line', XY[]>, theme: Theme): void {
    const options = chart.options;
    options.color = theme.foreground;
    options.font = { family: theme.font };
    for (const axis of ['x', 'y'] as const) {
        const scale = options.scales?.[axis];
        if (scale !== undefined && scale.type === 'linear') {
            scale.grid = { ...scale.grid, color: theme.grid };
            scale.ticks = { ...scale.ticks, color: theme.foreground };
            scale.border = { ...scale.border, color: theme.grid };
            scale.title = { ...scale.title, color: theme.foreground };
        }
    }
    const labels = options.plugins?.legend?.labels;
    if (labels !== undefined) {
        labels.color = theme.foreground;
    }
}

/** The VS Code theme's colours, with fallbacks for a page outside VS Code. */
function readTheme(canvas: HTMLCanvasElement): Theme {
    const view = canvas.ownerDocument.defaultView;
    const css = view === null ? null : view.getComputedStyle(canvas.ownerDocument.body);
    const get = (name: string, fallback: string): string => css?.getPropertyValue(name).trim() || fallback;
    return {
        foreground: get('--vscode-foreground', '#888888'),
        grid: get('--vscode-editorWidget-border', 'rgba(128, 128, 128, 0.3)'),
        font: get('--vscode-font-family', 'sans-serif'),
        palette: [
            get('--vscode-charts-blue', '#3794ff'),
            get('--vscode-charts-orange', '#d18616'),
            get('--vscode-charts-green', '#89d185'),
            get('--vscode-charts-purple', '#b180d7'),
            get('--vscode-charts-red', '#f14c4c'),
            get('--vscode-charts-yellow', '#cca700'),
        ],
    };
}
