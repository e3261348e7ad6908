package org.lincde.tables.artifacts;

import java.awt.Graphics2D;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.XYStyler;

/**
 * Several XChart {@link XYChart}s painted side by side as one chart, so a multi-panel figure (the
 * papers' "subplots") goes through {@code Figures.save} into one PNG, SVG and PDF.
 */
final class SideBySideChart extends Chart<XYStyler, XYSeries> {
    private final List<XYChart> panels;

    /** Panels of equal width; the composite is {@code Σ widths × max height}. */
    SideBySideChart(List<XYChart> panels) {
        super(panels.stream().mapToInt(XYChart::getWidth).sum(),
                panels.stream().mapToInt(XYChart::getHeight).max().orElse(1), new XYStyler());
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("a side-by-side chart needs at least one panel");
        }
        this.panels = List.copyOf(panels);
    }

    @Override
    public void paint(Graphics2D g, int width, int height) {
        int each = width / panels.size();
        for (int i = 0; i < panels.size(); i++) {
            Graphics2D sub = (Graphics2D) g.create(i * each, 0, each, height);
            try {
                panels.get(i).paint(sub, each, height);
            } finally {
                sub.dispose();
            }
        }
    }
}
