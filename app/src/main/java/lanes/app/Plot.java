package lanes.app;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The training plot: mean training loss (left axis) and test accuracy in % (right axis) per epoch, as a PNG. */
public final class Plot {
    private Plot() {
    }

    /** Writes the plot of {@code epochs} to {@code file} (PNG), through a temporary file renamed over it. */
    public static void write(Path file, String title, List<TrainRun.Epoch> epochs) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("epoch")
                .yAxisTitle("training loss (mean over the epoch)").build();
        chart.setYAxisGroupTitle(1, "test accuracy (%)");
        var s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setXAxisDecimalPattern("0");
        double[] x = epochs.stream().mapToDouble(e -> e.number()).toArray();
        XYSeries loss = chart.addSeries("training loss", x, epochs.stream().mapToDouble(TrainRun.Epoch::trainLoss)
                .toArray());
        loss.setMarker(SeriesMarkers.CIRCLE);
        loss.setLineColor(new Color(31, 119, 180));
        loss.setMarkerColor(new Color(31, 119, 180));
        XYSeries acc = chart.addSeries("test accuracy (%)", x, epochs.stream()
                .mapToDouble(e -> 100 * e.testAccuracy()).toArray());
        acc.setYAxisGroup(1);
        acc.setMarker(SeriesMarkers.DIAMOND);
        acc.setLineColor(new Color(214, 39, 40));
        acc.setMarkerColor(new Color(214, 39, 40));
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".png");
        try {
            BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
            Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
