package lanes.app.studio;

/**
 * A playground network outside the server, for benchmarks and programs: the same run the studio's
 * {@code POST /api/runs} makes, stepped and read in the calling thread.
 */
public final class Playground {
    private final PlaygroundRun run;

    private Playground(PlaygroundRun run) {
        this.run = run;
    }

    /**
     * A run of the playground's settings, as {@code POST /api/runs} takes them ({@code "{}"}: the defaults, a
     * 2-8-8-1 tanh network on circle at batch 10).
     *
     * @param settingsJson the settings, a JSON object
     * @return the run
     * @throws IllegalArgumentException naming the field that is wrong
     */
    public static Playground create(String settingsJson) {
        try {
            return new Playground(new PlaygroundRun("bench", PlaygroundSpec.parse(Fields.parse(settingsJson))));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * Trains {@code count} steps (batches), then measures the losses once, as the play loop does per slice.
     *
     * @param count the steps
     * @return the steps run (fewer if training diverged)
     */
    public int step(int count) {
        return run.steps(count);
    }

    /**
     * The grids alone: the output's and every hidden neuron's 100 x 100 values, computed by the engine, not
     * serialised.
     *
     * @return the number of grid values (output and neurons)
     */
    public int grids() {
        Boundary b = run.boundary();
        return b.output.length * (1 + b.neurons.length);
    }

    /**
     * One frame of the event stream: the state with the output's and every hidden neuron's 100 x 100 grid,
     * computed and serialised.
     *
     * @return the JSON text
     */
    public String frame() {
        return run.state(true);
    }
}
