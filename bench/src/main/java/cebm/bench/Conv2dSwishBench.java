package cebm.bench;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.Ops;
import cebm.tensor.Tensor;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.CpuBackend;
import cebm.tensor.cpu.Gemm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.util.concurrent.TimeUnit;

/**
 * The CPU convolutions of the paper's MNIST encoder at batch 128: the fused
 * conv + bias + Swish forward ({@link Ops#conv2dBiasSwish}), the input gradient
 * ({@link CpuBackend#conv2dInputGrad}) and the weight gradient ({@link CpuBackend#conv2dWeightGrad}),
 * per layer and for the whole encoder.
 *
 * <p>The {@code gflop} line of the report is the throughput in GFLOP/s, counted from
 * {@link Conv2dGeometry#forwardFlops()}; each gradient does the same multiply-adds as the
 * forward pass. Compare it with {@link FmaPeakBench}.
 *
 * <p>Every call runs in a {@link Workspace} scope, as the SGLD loop does, so the output tensors
 * come from recycled arrays. NOTE: without one the JVM allocates and zeroes them at every call
 * (z and y of the first layer are 25.7 MB each, as is the input gradient of the second), which
 * on a machine with 5–7 GB/s of memory bandwidth cost 10–15 ms per encoder pass, more than
 * layers 2 and 3 together. The first layer stays memory-bound all the same: writing z and y is
 * 51 MB per call.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar "Conv2dSwishBench|FmaPeakBench" -f 1 -wi 2 -i 3}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class Conv2dSwishBench {
    static final int BATCH = 128;

    /** One convolution of the encoder on a square input of side {@code size}. */
    record Layer(int inChannels, int outChannels, int kernel, int stride, int padding, int size) {}

    /** 28×28 → 28 → 14 → 7 → 3. */
    static final Layer[] ENCODER = {
            new Layer(1, 64, 3, 1, 1, 28),
            new Layer(64, 64, 4, 2, 1, 28),
            new Layer(64, 32, 4, 2, 1, 14),
            new Layer(32, 32, 4, 2, 1, 7),
    };

    /** The tensors of one layer: random input, weight, bias and output gradient. */
    static final class LayerData {
        final Layer layer;
        final Conv2dGeometry geometry;
        final Tensor x, weight, bias, gradOut;

        LayerData(Layer l, long seed) {
            layer = l;
            int[] xShape = {BATCH, l.inChannels(), l.size(), l.size()};
            int[] wShape = {l.outChannels(), l.inChannels(), l.kernel(), l.kernel()};
            geometry = Conv2dGeometry.of("bench", xShape, wShape, l.stride(), l.padding());
            // He-style scale keeps the activations of the chained encoder in a normal range.
            float wStd = (float) Math.sqrt(2.0 / (l.inChannels() * l.kernel() * l.kernel()));
            CpuBackend cpu = CpuBackend.INSTANCE;
            x = cpu.normal(xShape, 0f, 1f, seed, 0);
            weight = cpu.normal(wShape, 0f, wStd, seed + 1, 0);
            bias = cpu.normal(new int[] {l.outChannels()}, 0f, 0.1f, seed + 2, 0);
            gradOut = cpu.normal(geometry.outputShape(), 0f, 1f, seed + 3, 0);
        }

        Tensor[] forward(Tensor input) {
            return Ops.conv2dBiasSwish(input, weight, bias, layer.stride(), layer.padding());
        }

        Tensor inputGrad() {
            return CpuBackend.INSTANCE.conv2dInputGrad(gradOut, weight, geometry);
        }

        Tensor weightGrad() {
            return CpuBackend.INSTANCE.conv2dWeightGrad(gradOut, x, geometry);
        }
    }

    @State(Scope.Benchmark)
    public static class OneLayer {
        @Param({"0", "1", "2", "3"})
        int layer;
        LayerData data;
        final Workspace workspace = new Workspace();

        @Setup
        public void setup() {
            System.out.println("GEMM: " + Gemm.implementation());
            data = new LayerData(ENCODER[layer], 42 + 10L * layer);
        }
    }

    @State(Scope.Benchmark)
    public static class Encoder {
        LayerData[] layers;
        long flops;
        final Workspace workspace = new Workspace();

        @Setup
        public void setup() {
            System.out.println("GEMM: " + Gemm.implementation());
            layers = new LayerData[ENCODER.length];
            for (int i = 0; i < layers.length; i++) {
                layers[i] = new LayerData(ENCODER[i], 42 + 10L * i);
                flops += layers[i].geometry.forwardFlops();
            }
        }

        /** The four layers chained, each fed the Swish output of the one before. */
        Tensor forward() {
            Tensor h = layers[0].x;
            for (LayerData l : layers) h = l.forward(h)[0];
            return h;
        }
    }

    @Benchmark
    public void forward(OneLayer s, GflopCounter counter, Blackhole bh) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = s.workspace.enter()) {
            bh.consume(s.data.forward(s.data.x));
        }
    }

    @Benchmark
    public void inputGrad(OneLayer s, GflopCounter counter, Blackhole bh) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = s.workspace.enter()) {
            bh.consume(s.data.inputGrad());
        }
    }

    /** The weight gradient: the same multiply-adds again, summed over the batch. */
    @Benchmark
    public void weightGrad(OneLayer s, GflopCounter counter, Blackhole bh) {
        counter.add(s.data.geometry.forwardFlops());
        try (Workspace.Scope scope = s.workspace.enter()) {
            bh.consume(s.data.weightGrad());
        }
    }

    @Benchmark
    public void encoderForward(Encoder e, GflopCounter counter, Blackhole bh) {
        counter.add(e.flops);
        try (Workspace.Scope scope = e.workspace.enter()) {
            bh.consume(e.forward());
        }
    }

    @Benchmark
    public void encoderInputGrad(Encoder e, GflopCounter counter, Blackhole bh) {
        counter.add(e.flops);
        try (Workspace.Scope scope = e.workspace.enter()) {
            for (LayerData l : e.layers) bh.consume(l.inputGrad());
        }
    }

    @Benchmark
    public void encoderWeightGrad(Encoder e, GflopCounter counter, Blackhole bh) {
        counter.add(e.flops);
        try (Workspace.Scope scope = e.workspace.enter()) {
            for (LayerData l : e.layers) bh.consume(l.weightGrad());
        }
    }

    /** Forward and input gradient of the whole encoder: the work of one SGLD step on the input. */
    @Benchmark
    public void encoderForwardAndInputGrad(Encoder e, GflopCounter counter, Blackhole bh) {
        counter.add(2 * e.flops);
        try (Workspace.Scope scope = e.workspace.enter()) {
            bh.consume(e.forward());
            for (LayerData l : e.layers) bh.consume(l.inputGrad());
        }
    }
}
