package lanes.bench.cli;

import lanes.app.cli.LanesApp;
import picocli.CommandLine;

/**
 * The {@code lanes} program with {@code lanes bench} added: the main class of {@code target/lanes-bench.jar}, which
 * the launcher runs for {@code ./lanes bench ...}. Every other command is the app's, so {@code bench e2e} can start
 * {@code lanes train} from this same jar.
 */
public final class BenchApp {
    private BenchApp() {
    }

    /**
     * Runs the command line and exits with its status.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line.
     *
     * @param args the arguments, e.g. {@code bench gemm --quick}
     * @return the exit status: 0 on success, 1 when the command failed, 2 for a bad argument
     */
    public static int run(String... args) {
        return LanesApp.run(commandLine(), args);
    }

    /** The app's command line with the bench command added. */
    static CommandLine commandLine() {
        CommandLine cli = LanesApp.commandLine().addSubcommand(new BenchCommand());
        cli.getCommandSpec().usageMessage().footer(new String[0]);  // the app's pointer to this module: not here
        return cli;
    }
}
