package lanes.app;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import lanes.layers.io.AtomicFile;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training plot, a PNG: the loss of every step (thin) and its mean over each epoch (left axis), and the test
 * accuracy in % (right axis) per epoch; for 2-D data, the decision regions beside it ({@link Regions}).
 */
public final class Plot {
    private Plot() {
    }

    /**
     * Writes the plot of {@code epochs} to {@code file} (PNG), atomically.
     *
     * @param file the PNG
     * @param title its title
     * @param epochs the epochs' figures
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, String title, List<TrainRun.Epoch> epochs) throws IOException {
        write(file, title, epochs, List.of(), 1, null);
    }

    /**
     * Writes the plot of {@code epochs} and {@code stepLosses} to {@code file} (PNG), with {@code beside} (the
     * decision regions, say; null for none) to its right, atomically.
     *
     * @param file the PNG
     * @param title its title
     * @param epochs the epochs' figures
     * @param stepLosses the loss of every step, in order (empty for none)
     * @param stepsPerEpoch steps in an epoch, to place the steps on the epoch axis
     * @param beside an image drawn to the right of the chart, or null
     * @throws IOException if it cannot be written
     */
    public static void write(Path file, String title, List<TrainRun.Epoch> epochs, List<Float> stepLosses,
                             int stepsPerEpoch, BufferedImage beside) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle("epoch")
                .yAxisTitle("training loss").build();
        chart.setYAxisGroupTitle(1, "test accuracy (%)");
        var s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(225, 225, 225));
        s.setXAxisDecimalPattern("0.#");
        if (!epochs.isEmpty()) {                  // whole epochs at the ends, so that the ticks fall on round numbers
            s.setXAxisMin((double) epochs.get(0).number() - 1);
            s.setXAxisMax((double) epochs.get(epochs.size() - 1).number());
        }
        if (!epochs.isEmpty()) {                  // first: XChart takes its ticks from it (whole epochs)
            double[] x = epochs.stream().mapToDouble(e -> e.number()).toArray();
            XYSeries acc = chart.addSeries("test accuracy (%)", x, epochs.stream()
                    .mapToDouble(e -> 100 * e.testAccuracy()).toArray());
            acc.setYAxisGroup(1);
            acc.setMarker(SeriesMarkers.DIAMOND);
            acc.setLineColor(new Color(214, 39, 40));
            acc.setMarkerColor(new Color(214, 39, 40));
        }
        if (!stepLosses.isEmpty()) {
            int stride = Math.max(1, stepLosses.size() / 4000);            // at most about 4,000 points drawn
            int n = (stepLosses.size() + stride - 1) / stride;
            double[] x = new double[n];
            double[] y = new double[n];
            double firstEpoch = epochs.isEmpty() ? 0 : epochs.get(0).number() - 1;
            for (int i = 0; i < n; i++) {
                x[i] = firstEpoch + (double) (i * stride + 1) / stepsPerEpoch;
                double v = stepLosses.get(i * stride);
                y[i] = Double.isFinite(v) ? v : Double.NaN;
            }
            XYSeries steps = chart.addSeries("training loss per step", x, y);
            steps.setMarker(SeriesMarkers.NONE);
            steps.setLineColor(new Color(158, 202, 225));
            steps.setLineWidth(1f);
        }
        if (!epochs.isEmpty()) {
            double[] x = epochs.stream().mapToDouble(e -> e.number()).toArray();
            XYSeries loss = chart.addSeries("training loss (epoch mean)", x, epochs.stream()
                    .mapToDouble(TrainRun.Epoch::trainLoss).toArray());
            loss.setMarker(SeriesMarkers.CIRCLE);
            loss.setLineColor(new Color(31, 119, 180));
            loss.setMarkerColor(new Color(31, 119, 180));
        }
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        if (beside != null) {
            BufferedImage both = new BufferedImage(image.getWidth() + beside.getWidth(),
                    Math.max(image.getHeight(), beside.getHeight()), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = both.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, both.getWidth(), both.getHeight());
            g.drawImage(image, 0, 0, null);
            g.drawImage(beside, image.getWidth(), 0, null);
            g.dispose();
            image = both;
        }
        writePng(file, image);
    }

    /**
     * Writes {@code image} to {@code file} as a PNG, atomically.
     *
     * @param file the file
     * @param image the picture
     * @throws IOException if it cannot be written
     */
    public static void writePng(Path file, BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        Path target = file.toAbsolutePath();
        if (target.getParent() != null) {
            java.nio.file.Files.createDirectories(target.getParent());
        }
        AtomicFile.write(target, bytes.toByteArray());
    }
}
