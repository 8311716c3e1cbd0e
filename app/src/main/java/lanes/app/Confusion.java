package lanes.app;

/** A confusion matrix as text: rows are true classes, columns predicted ones. */
public final class Confusion {
    private Confusion() {
    }

    /** The matrix {@code m} (m[true][predicted]) as a table with a header line. */
    public static String format(int[][] m) {
        StringBuilder s = new StringBuilder("Confusion matrix (rows: true class, columns: predicted)\n     ");
        for (int j = 0; j < m.length; j++) {
            s.append(String.format("%6d", j));
        }
        for (int i = 0; i < m.length; i++) {
            s.append(String.format("%n%4d ", i));
            for (int j = 0; j < m.length; j++) {
                s.append(String.format("%6d", m[i][j]));
            }
        }
        return s.toString();
    }
}
