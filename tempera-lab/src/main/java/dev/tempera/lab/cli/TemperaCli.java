package dev.tempera.lab.cli;

import dev.tempera.lab.cli.eval.EvalCommand;
import dev.tempera.lab.cli.image.ImageCommand;
import dev.tempera.lab.cli.shapes.ShapesCommand;
import dev.tempera.lab.cli.text.DescribeCommand;
import dev.tempera.lab.cli.text.GenerateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tempera} command line.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage error (bad option or value).
 */
@Command(
        name = "tempera",
        mixinStandardHelpOptions = true,
        versionProvider = TemperaCli.Version.class,
        description = "Control and study how sampling shapes the output of generative models.",
        subcommands = {CommandLine.HelpCommand.class, ExplainCommand.class, SampleCommand.class, DemoCommand.class,
            ShapesCommand.class, EvalCommand.class, GenerateCommand.class, DescribeCommand.class, ImageCommand.class})
public final class TemperaCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts are drawn off-screen
        }
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (used by tests, which must not call System.exit). */
    public static int run(String... args) {
        return newCommandLine().execute(args);
    }

    /** As {@link #run(String...)}, writing to the given streams instead of System.out / System.err. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = newCommandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cl = new CommandLine(new TemperaCli());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? 2 : 1);
        cl.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("tempera: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, command, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                command.getErr().println("tempera: " + ex.getMessage());
                return 2;
            }
            command.getErr().println("tempera: " + ex);
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TemperaCli.class.getPackage().getImplementationVersion();
            return new String[] {"tempera " + (v == null ? "dev" : v)};
        }
    }
}
