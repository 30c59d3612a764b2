package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.BackendProvider;
import cebm.tensor.Backends;
import cebm.tensor.BinaryOp;
import cebm.tensor.Conv2dGeometry;
import cebm.tensor.RandomStream;
import cebm.tensor.ReduceOp;
import cebm.tensor.Tensor;
import cebm.tensor.UnaryOp;
import cebm.tensor.Workspace;
import cebm.tensor.cpu.reference.ReferenceBackend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every backend present, against the reference backend: each {@link Backend} method on fresh
 * random inputs, the primitives and the fused ops alike. For a fused op the reference runs
 * {@link Backend}'s default composition of primitives, so this is also where a backend's one-pass
 * version is held to that composition. The fast CPU backend always runs; CUDA where it can (a GPU,
 * or the emulated device), and is otherwise skipped with the probe's reason.
 *
 * <p>Tolerances are relative errors ‖a − b‖/‖b‖ (NaN fails). Elementwise ops and data movement
 * agree to rounding (1e-6); sums that run in another order or precision (the matrix product, the
 * convolutions with up to a few hundred terms, the log-normalizer, Adam's moments) to 1e-5.
 */
class EveryBackendTest {
    private static final ReferenceBackend REFERENCE = ReferenceBackend.INSTANCE;
    private static final double ROUNDING = 1e-6;
    private static final double REORDERED_SUMS = 1e-5;

    private final RandomStream random = new RandomStream(20261206);

    private static Backend backend(String name) {
        if (name.equals("cuda")) {
            BackendProvider.Availability a = new CudaBackendProvider().availability();
            assumeTrue(a.usable(), "no GPU to run on: " + RequiresGpu.notBuilt().orElse(a.summary()));
        }
        return Backends.named(name);
    }

    private Tensor uniform(float low, float high, int... shape) {
        return random.uniform(REFERENCE, low, high, shape);
    }

    private static void close(String what, Tensor expected, Tensor actual, double tolerance) {
        Compare.close(what, expected, actual, tolerance);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void elementwiseOpsAndReductions(String name) {
        Backend b = backend(name);
        Tensor x = uniform(-3f, 3f, 4, 5, 6), positive = uniform(0.1f, 3f, 4, 5, 6);
        for (UnaryOp op : UnaryOp.values()) {
            Tensor input = op == UnaryOp.LOG || op == UnaryOp.SQRT ? positive : x;
            close(op.name(), REFERENCE.map(op, input), b.map(op, input.to(b)), ROUNDING);
        }
        Tensor row = uniform(0.5f, 2f, 1, 5, 6), column = uniform(0.5f, 2f, 4, 1, 1);
        for (BinaryOp op : BinaryOp.values()) {
            int[] shape = {4, 5, 6};
            close(op.name() + " same shape", REFERENCE.zip(op, x, positive, shape), b.zip(op, x.to(b), positive.to(b), shape), ROUNDING);
            close(op.name() + " broadcast", REFERENCE.zip(op, row, column, shape), b.zip(op, row.to(b), column.to(b), shape), ROUNDING);
            Tensor view = x.transpose(0, 2), bView = x.to(b).transpose(0, 2);
            int[] viewShape = view.shape();
            close(op.name() + " of a view", REFERENCE.zip(op, view, positive.transpose(0, 2), viewShape),
                    b.zip(op, bView, positive.to(b).transpose(0, 2), viewShape), ROUNDING);
        }
        for (int dim = 0; dim < 3; dim++) {
            close("sum over " + dim, REFERENCE.reduce(ReduceOp.SUM, x, dim), b.reduce(ReduceOp.SUM, x.to(b), dim), ROUNDING);
            close("max over " + dim, REFERENCE.reduce(ReduceOp.MAX, x, dim), b.reduce(ReduceOp.MAX, x.to(b), dim), ROUNDING);
            close("argmax over " + dim, REFERENCE.argmax(x, dim), b.argmax(x.to(b), dim), ROUNDING);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void memoryAndRandomNumbers(String name) {
        Backend b = backend(name);
        Tensor x = uniform(-1f, 1f, 6, 7);
        assertArrayEquals(x.toArray(), x.to(b).toArray(), "fromArray, then toArray");
        close("copy of a view", REFERENCE.copy(x.transpose(0, 1)), b.copy(x.to(b).transpose(0, 1)), ROUNDING);
        Tensor into = b.full(0f, 7, 6);
        b.copyInto(into, x.to(b).transpose(0, 1));
        close("copyInto", REFERENCE.copy(x.transpose(0, 1)), into, ROUNDING);
        close("full", REFERENCE.full(2.5f, 3, 4), b.full(2.5f, 3, 4), ROUNDING);
        int[] odd = {5, 7};
        close("uniform", REFERENCE.uniform(odd, -2f, 3f, 77, 5), b.uniform(odd, -2f, 3f, 77, 5), ROUNDING);
        close("normal", REFERENCE.normal(odd, 1f, 0.5f, 77, 5), b.normal(odd, 1f, 0.5f, 77, 5), ROUNDING);
        int[] rows = {4, 0, 4, 2};
        close("gatherRows", REFERENCE.gatherRows(x, rows), b.gatherRows(x.to(b), rows), ROUNDING);
        Tensor expected = REFERENCE.copy(x), actual = x.to(b);
        Tensor src = uniform(-1f, 1f, 3, 7);
        REFERENCE.scatterRows(expected, new int[] {5, 1, 3}, src);
        b.scatterRows(actual, new int[] {5, 1, 3}, src.to(b));
        close("scatterRows", expected, actual, ROUNDING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void matrixProducts(String name) {
        Backend b = backend(name);
        Tensor a = uniform(-1f, 1f, 9, 37), bMatrix = uniform(-1f, 1f, 37, 21);
        close("[9,37]·[37,21]", REFERENCE.matmul(a, bMatrix), b.matmul(a.to(b), bMatrix.to(b)), REORDERED_SUMS);
        Tensor weight = uniform(-1f, 1f, 21, 37);
        close("by a transposed view", REFERENCE.matmul(a, weight.transpose(0, 1)), b.matmul(a.to(b), weight.to(b).transpose(0, 1)), REORDERED_SUMS);
        Tensor batchA = uniform(-1f, 1f, 3, 5, 8), batchB = uniform(-1f, 1f, 3, 8, 4);
        close("batched", REFERENCE.matmul(batchA, batchB), b.matmul(batchA.to(b), batchB.to(b)), REORDERED_SUMS);
    }

    /** The encoder's geometries: one channel in, stride 1 and 2, 3×3 and 4×4 kernels, with and without padding. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void convolutionsAndTheFusedLayer(String name) {
        Backend b = backend(name);
        int[][] cases = {{3, 1, 28, 8, 3, 1, 1}, {3, 8, 14, 16, 4, 2, 1}, {2, 6, 9, 5, 3, 1, 0}, {2, 4, 8, 6, 4, 2, 1}};
        for (int[] c : cases) {
            Conv2dGeometry g = Conv2dGeometry.of("test", new int[] {c[0], c[1], c[2], c[2]}, new int[] {c[3], c[1], c[4], c[4]}, c[5], c[6]);
            String what = g.toString();
            Tensor x = uniform(-1f, 1f, g.inputShape()), w = uniform(-0.5f, 0.5f, g.weightShape());
            Tensor bias = uniform(-0.5f, 0.5f, g.outChannels()), gradOut = uniform(-1f, 1f, g.outputShape());
            Tensor bx = x.to(b), bw = w.to(b), bBias = bias.to(b), bGradOut = gradOut.to(b);
            close("conv2d " + what, REFERENCE.conv2d(x, w, bias, g), b.conv2d(bx, bw, bBias, g), REORDERED_SUMS);
            close("conv2d without bias " + what, REFERENCE.conv2d(x, w, null, g), b.conv2d(bx, bw, null, g), REORDERED_SUMS);
            close("input gradient " + what, REFERENCE.conv2dInputGrad(gradOut, w, g), b.conv2dInputGrad(bGradOut, bw, g), REORDERED_SUMS);
            close("weight gradient " + what, REFERENCE.conv2dWeightGrad(gradOut, x, g), b.conv2dWeightGrad(bGradOut, bx, g), REORDERED_SUMS);
            Tensor[] expected = REFERENCE.conv2dBiasSwish(x, w, bias, g), actual = b.conv2dBiasSwish(bx, bw, bBias, g);
            close("fused layer y " + what, expected[0], actual[0], REORDERED_SUMS);
            close("fused layer z " + what, expected[1], actual[1], REORDERED_SUMS);
            Tensor z = expected[1];
            close("swishBackward " + what, REFERENCE.swishBackward(gradOut, z), b.swishBackward(bGradOut, z.to(b)), ROUNDING);
            close("fused layer input gradient " + what, REFERENCE.conv2dSwishInputGrad(gradOut, z, w, g),
                    b.conv2dSwishInputGrad(bGradOut, z.to(b), bw, g), REORDERED_SUMS);
        }
    }

    /** Natural parameters as the model makes them: λ2 and t2 negative, so every a2 = λ2 + t2 is. */
    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void theLogNormalizerAndItsGradient(String name) {
        Backend b = backend(name);
        for (int components : new int[] {1, 10}) {
            Tensor t1 = uniform(-2f, 2f, 12, 16), t2 = uniform(-1f, -0.1f, 12, 16);
            Tensor lambda1 = uniform(-1f, 1f, components, 16), lambda2 = uniform(-1f, -0.2f, components, 16);
            Tensor g = uniform(-1f, 1f, 12, components);
            String what = components + " components";
            close("logNormalizer, " + what, REFERENCE.logNormalizer(t1, t2, lambda1, lambda2),
                    b.logNormalizer(t1.to(b), t2.to(b), lambda1.to(b), lambda2.to(b)), REORDERED_SUMS);
            Tensor[] expected = REFERENCE.logNormalizerGrad(g, t1, t2, lambda1, lambda2);
            Tensor[] actual = b.logNormalizerGrad(g.to(b), t1.to(b), t2.to(b), lambda1.to(b), lambda2.to(b));
            String[] names = {"∂/∂t1", "∂/∂t2", "∂/∂λ1", "∂/∂λ2"};
            for (int i = 0; i < 4; i++) close(names[i] + ", " + what, expected[i], actual[i], REORDERED_SUMS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cpu", "cuda"})
    void sgldAndAdamUpdates(String name) {
        Backend b = backend(name);
        Tensor x = uniform(-1f, 1f, 3, 1, 5, 5), grad = uniform(-1f, 1f, 3, 1, 5, 5);
        Tensor expected = REFERENCE.copy(x), actual = x.to(b);
        REFERENCE.sgldUpdate(expected, grad, 0.5f, 0.01f, 9, 40);
        b.sgldUpdate(actual, grad.to(b), 0.5f, 0.01f, 9, 40);
        close("sgldUpdate", expected, actual, ROUNDING);

        UnaryOperator<Tensor> referenceGradient = chains -> REFERENCE.map(UnaryOp.SWISH, chains);
        UnaryOperator<Tensor> gradient = chains -> b.map(UnaryOp.SWISH, chains);
        REFERENCE.sgld(expected, 5, referenceGradient, 0.1f, 0.01f, 9, 80, new Workspace());
        b.sgld(actual, 5, gradient, 0.1f, 0.01f, 9, 80, new Workspace());
        close("sgld, 5 steps", expected, actual, ROUNDING);

        int[] shape = {17, 3};
        Tensor param = uniform(-1f, 1f, shape), m = REFERENCE.full(0f, shape), v = REFERENCE.full(0f, shape);
        Tensor bParam = param.to(b), bm = m.to(b), bv = v.to(b);
        for (int step = 1; step <= 10; step++) {
            Tensor g = uniform(-1f, 1f, shape);
            REFERENCE.adamUpdate(param, g, m, v, 1e-2f, 0.9f, 0.999f, 1e-8f, step);
            b.adamUpdate(bParam, g.to(b), bm, bv, 1e-2f, 0.9f, 0.999f, 1e-8f, step);
        }
        close("Adam, parameters after 10 steps", param, bParam, REORDERED_SUMS);
        close("Adam, first moments", m, bm, REORDERED_SUMS);
        close("Adam, second moments", v, bv, REORDERED_SUMS);
    }
}
