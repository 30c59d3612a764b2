package cebm.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;

@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Prints the version, the backends, the CPU kernels and the threads.")
final class InfoCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println(new Main.Version().getVersion()[0]);
        System.out.println("java      " + System.getProperty("java.vm.name") + " " + Runtime.version());
        String label = "backends  ";
        for (String line : Devices.describe()) {
            System.out.println(label + line);
            label = "          ";
        }
        System.out.println("kernels   " + VectorModule.status());
        System.out.println("threads   " + Runtime.getRuntime().availableProcessors() + " processors, fork-join parallelism "
                + ForkJoinPool.getCommonPoolParallelism() + " (+ the calling thread)");
        return 0;
    }
}
