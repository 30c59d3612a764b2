package cebm.bench;

import cebm.model.Architecture;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.CpuBackend;
import cebm.tensor.cpu.gemm.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The convolutions of the paper's encoders at batch 128, on the CPU or the GPU
 * ({@link BackendState}): the fused conv + bias + Swish forward ({@link Ops#conv2dBiasSwish}), the
 * input gradient ({@link cebm.tensor.Backend#conv2dInputGrad}) and the weight gradient
 * ({@link cebm.tensor.Backend#conv2dWeightGrad}), per layer and for the whole encoder.
 * {@code arch} is {@code paper28} (the MNIST encoder) unless {@code -p arch=paper28,paper32} asks
 * for the CIFAR-10 one as well.
 *
 * <p>The {@code gflop} line of the report is the throughput in GFLOP/s, counted from
 * {@link Conv2dGeometry#forwardFlops()}; each gradient does the same multiply-adds as the
 * forward pass. On the CPU, compare it with {@link FmaPeakBench}. Each op runs in a workspace
 * scope, as in the SGLD loop, and ends with a wait for its result ({@link BackendState}).
 * NOTE: without the scope the JVM would allocate and zero the outputs at every call (z and y of
 * the first layer are [128, 64, 28, 28], 25.7 MB each, as is the input gradient of the second),
 * memory traffic on the scale of the convolutions' own work. The first layer of the MNIST
 * encoder (one input channel) stays bound by memory traffic all the same, writing z and y
 * (51 MB per call), which is why it reports few GFLOP/s.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar "Conv2dSwishBench|FmaPeakBench" -p backend=cpu -f 1 -wi 2 -i 3}.
 */
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class Conv2dSwishBench extends BenchmarkDefaults {
    static final int BATCH = 128;

    /** One convolution of the encoder on a square input of side {@code size}. */
    record Layer(int inChannels, int outChannels, int kernel, int stride, int padding, int size) {}

    /** The trunk of an architecture as layers, each with the side of its input (paper28: 28 → 28 → 14 → 7 → 3). */
    static Layer[] encoder(Architecture a) {
        Layer[] layers = new Layer[a.convs().size()];
        int channels = a.channels(), size = a.size();
        for (int i = 0; i < layers.length; i++) {
            Architecture.ConvLayer c = a.convs().get(i);
            layers[i] = new Layer(channels, c.outChannels(), c.kernel(), c.stride(), c.padding(), size);
            channels = c.outChannels();
            size = (size + 2 * c.padding() - c.kernel()) / c.stride() + 1;
        }
        return layers;
    }

    /** The tensors of one layer on the benchmark's backend: random input, weight, bias and output gradient. */
    static final class LayerData {
        final Layer layer;
        final Conv2dGeometry geometry;
        final Tensor x, weight, bias, gradOut;

        LayerData(Layer l, long seed, BackendState on) {
            layer = l;
            int[] xShape = {BATCH, l.inChannels(), l.size(), l.size()};
            int[] wShape = {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
            geometry = Conv2dGeometry.of("bench", xShape, wShape, l.stride(), l.padding());
            // He-style scale keeps the activations of the chained encoder in a normal range.
            float wStd = (float) Math.sqrt(2.0 / (l.inChannels() * l.kernel() * l.kernel()));
            // Drawn on the CPU, so that every backend gets the same numbers.
            CpuBackend cpu = CpuBackend.INSTANCE;
            x = cpu.normal(xShape, 0f, 1f, seed, 0).to(on.device);
            weight = cpu.normal(wShape, 0f, wStd, seed + 1, 0).to(on.device);
            bias = cpu.normal(new int[] {l.outChannels()}, 0f, 0.1f, seed + 2, 0).to(on.device);
            gradOut = cpu.normal(geometry.outputShape(), 0f, 1f, seed + 3, 0).to(on.device);
        }

        Tensor[] forward(Tensor input) {
            return Ops.conv2dBiasSwish(input, weight, bias, layer.stride(), layer.padding());
        }

        Tensor inputGrad() {
            return x.backend().conv2dInputGrad(gradOut, weight, geometry);
        }

        Tensor weightGrad() {
            return x.backend().conv2dWeightGrad(gradOut, x, geometry);
        }
    }

    /**
     * Runs every op of every layer a few times before any is measured, so that the JIT compiles
     * the shared GEMM from the mix of calls a training step makes. NOTE: compiled from one op's
     * calls alone, it can come out much slower for that op. The input gradient never adds onto
     * its output, while the forward pass adds its K slices; a GEMM compiled having seen only the
     * input gradient's calls runs it slower than one compiled from both, and the SGLD loop runs
     * both.
     */
    static void warmUpLikeTraining(LayerData[] layers, BackendState on) {
        for (int round = 0; round < 3; round++) {
            for (LayerData l : layers) {
                try (Workspace.Scope scope = on.scope()) {
                    BackendState.await(l.forward(l.x)[0]);
                    BackendState.await(l.inputGrad());
                    BackendState.await(l.weightGrad());
                }
            }
        }
    }

    @State(Scope.Benchmark)
    public static class OneLayer {
        @Param({"paper28"})
        String arch;
        @Param({"0", "1", "2", "3"})
        int layer;
        LayerData data;

        @Setup
        public void setup(BackendState on) {
            if (on.device == CpuBackend.INSTANCE) System.out.println("GEMM: " + Gemm.implementation());
            data = new LayerData(encoder(Architecture.named(arch))[layer], 42 + 10L * layer, on);
            warmUpLikeTraining(new LayerData[] {data}, on);
        }
    }

    @State(Scope.Benchmark)
    public static class Encoder {
        @Param({"paper28"})
        String arch;
        LayerData[] layers;
        long flops;

        @Setup
        public void setup(BackendState on) {
            if (on.device == CpuBackend.INSTANCE) System.out.println("GEMM: " + Gemm.implementation());
            Layer[] shapes = encoder(Architecture.named(arch));
            layers = new LayerData[shapes.length];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new LayerData(shapes[i], 42 + 10L * i, on);
                flops += layers[i].geometry.forwardFlops();
            }
            warmUpLikeTraining(layers, on);
        }

        /** The layers chained, each fed the Swish output of the one before. */
        Tensor forward() {
            Tensor h = layers[0].x;
            for (LayerData l : layers) h = l.forward(h)[0];
            return h;
        }

        /** Every layer's input gradient; returns the last (the backend computes them in order). */
        Tensor inputGrads() {
            Tensor g = null;
            for (LayerData l : layers) g = l.inputGrad();
            return g;
        }

        Tensor weightGrads() {
            Tensor g = null;
            for (LayerData l : layers) g = l.weightGrad();
            return g;
        }
    }

    @Benchmark
    public float forward(OneLayer s, BackendState on, GflopCounter counter) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(s.data.forward(s.data.x)[0]);
        }
    }

    @Benchmark
    public float inputGrad(OneLayer s, BackendState on, GflopCounter counter) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(s.data.inputGrad());
        }
    }

    /** The weight gradient: the same multiply-adds again, summed over the batch. */
    @Benchmark
    public float weightGrad(OneLayer s, BackendState on, GflopCounter counter) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(s.data.weightGrad());
        }
    }

    @Benchmark
    public float encoderForward(Encoder e, BackendState on, GflopCounter counter) {
        counter.add(e.flops);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(e.forward());
        }
    }

    @Benchmark
    public float encoderInputGrad(Encoder e, BackendState on, GflopCounter counter) {
        counter.add(e.flops);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(e.inputGrads());
        }
    }

    @Benchmark
    public float encoderWeightGrad(Encoder e, BackendState on, GflopCounter counter) {
        counter.add(e.flops);
        try (Workspace.Scope scope = on.scope()) {
            return BackendState.await(e.weightGrads());
        }
    }

    /** Forward and input gradient of the whole encoder: the work of one SGLD step on the input. */
    @Benchmark
    public float encoderForwardAndInputGrad(Encoder e, BackendState on, GflopCounter counter) {
        counter.add(2 * e.flops);
        try (Workspace.Scope scope = on.scope()) {
            e.forward();
            return BackendState.await(e.inputGrads());
        }
    }
}
