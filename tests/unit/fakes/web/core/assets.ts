// Fake of `@web/core/assets`: `loadBundle("web.chartjs_lib")` installs a recording fake of the
// global `Chart` (Chart.js itself never enters the unit tests); other bundles load nothing.
export const loadedBundles: string[] = [];

export class FakeChart {
    static instances: FakeChart[] = [];
    destroyed = false;

    constructor(
        public canvas: HTMLCanvasElement,
        public config: { type: string; data: object; options?: object },
    ) {
        FakeChart.instances.push(this);
    }

    destroy(): void {
        this.destroyed = true;
    }
}

export function loadBundle(bundleName: string): Promise<void[]> {
    loadedBundles.push(bundleName);
    if (bundleName === "web.chartjs_lib") {
        (globalThis as { Chart?: unknown }).Chart = FakeChart;
    }
    return Promise.resolve([]);
}
