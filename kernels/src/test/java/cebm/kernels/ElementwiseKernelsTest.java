package cebm.kernels;

import cebm.tensor.Backend;
import cebm.tensor.BinaryOp;
import cebm.tensor.RandomStream;
import cebm.tensor.Shape;
import cebm.tensor.Tensor;
import cebm.tensor.UnaryOp;
import cebm.tensor.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

@GpuTest
class ElementwiseKernelsTest {
    private static final Backend CPU = CpuBackend.INSTANCE;
    private static final int[][] SHAPES = {{1}, {7}, {3, 5}, {2, 3, 33, 17}, {128, 1000}};
    /** expf and logf are within 2 ulp on the GPU, Java's exp and log (in double) within 1: ~1e-7 apart. */
    private static final double FUNCTIONS = 1e-6;
    /** +, −, ×, ÷ and sqrt are correctly rounded on both devices: the results are equal. */
    private static final double EXACT = 0;

    private final Backend cuda = new CudaBackendProvider().backend();
    private final RandomStream random = new RandomStream(21);

    @Test
    void everyUnaryOpMatchesTheCpu() {
        for (int[] shape : SHAPES) {
            Tensor x = random.uniform(CPU, -1f, 1f, shape);
            Tensor positive = random.uniform(CPU, 0.01f, 2f, shape);
            for (UnaryOp op : UnaryOp.values()) {
                Tensor in = op == UnaryOp.LOG || op == UnaryOp.SQRT ? positive : x;
                Compare.close(op + " " + Arrays.toString(shape), CPU.map(op, in), cuda.map(op, in.to(cuda)), FUNCTIONS);
            }
        }
    }

    @Test
    void sigmoidAndSwishDoNotOverflow() {
        Tensor x = CPU.fromArray(new float[] {-1000f, -100f, -88f, -20f, -1e-3f, 0f, 1e-3f, 20f, 88f, 100f, 1000f}, 11);
        for (UnaryOp op : new UnaryOp[] {UnaryOp.SIGMOID, UnaryOp.SWISH}) {
            Compare.close(op + " of large arguments", CPU.map(op, x), cuda.map(op, x.to(cuda)), FUNCTIONS);
        }
    }

    @Test
    void mapReadsViews() {
        Tensor x = random.uniform(CPU, -1f, 1f, 6, 9);
        Compare.close("exp of a transpose", CPU.map(UnaryOp.EXP, x.transpose(0, 1)),
                cuda.map(UnaryOp.EXP, x.to(cuda).transpose(0, 1)), FUNCTIONS);
    }

    /**
     * A slice is contiguous but starts at an offset: the kernel receives the address of its first
     * element ({@code CUdeviceptr.withByteOffset}), which JCuda must add when it passes the pointer.
     */
    @Test
    void mapAndZipReadSlicesAtTheirOffset() {
        Tensor rows = random.uniform(CPU, -1f, 1f, 10, 6);
        Tensor slice = rows.slice(3, 7), onDevice = rows.to(cuda).slice(3, 7);
        Compare.close("exp of a slice", CPU.map(UnaryOp.EXP, slice), cuda.map(UnaryOp.EXP, onDevice), FUNCTIONS);
        Compare.close("slice + slice", CPU.zip(BinaryOp.ADD, slice, slice, slice.shape()),
                cuda.zip(BinaryOp.ADD, onDevice, onDevice, onDevice.shape()), EXACT);
    }

    @Test
    void sameShapeOperands() {
        for (int[] shape : SHAPES) zipAllOps(random.uniform(CPU, -1f, 1f, shape), random.uniform(CPU, 0.5f, 1.5f, shape));
    }

    @Test
    void broadcastOperands() {
        int[][][] pairs = {
            {{4, 6}, {6}}, {{4, 6}, {4, 1}}, {{3, 1, 5}, {4, 1}}, {{2, 3, 4, 5}, {1}}, {{1}, {7, 3}},
            {{128, 64, 8, 8}, {64, 1, 1}}, {{1, 1}, {1, 1}}, {{5, 1, 1, 3}, {1, 4, 2, 1}},
        };
        for (int[][] pair : pairs) zipAllOps(random.uniform(CPU, -1f, 1f, pair[0]), random.uniform(CPU, 0.5f, 1.5f, pair[1]));
    }

    @Test
    void viewOperands() {
        Tensor a = random.uniform(CPU, -1f, 1f, 7, 5), b = random.uniform(CPU, 0.5f, 1.5f, 5, 7);
        zipAllOps(a.transpose(0, 1), b);
        Tensor rows = random.uniform(CPU, -1f, 1f, 10, 5);
        zipAllOps(rows.slice(3, 8), random.uniform(CPU, 0.5f, 1.5f, 5));
    }

    /** A one-element host tensor (the γ of x·γ) meets a device tensor on either side, as Ops allows. */
    @Test
    void hostScalarOperands() {
        Tensor scalar = CPU.fromArray(new float[] {0.75f}, 1);
        for (int[] shape : SHAPES) {
            Tensor x = random.uniform(CPU, 0.5f, 1.5f, shape);
            int[] out = Shape.broadcast("zip", x.shape(), scalar.shape());
            for (BinaryOp op : BinaryOp.values()) {
                String what = op + " " + Arrays.toString(shape) + " with a host scalar";
                Compare.close(what + " second", CPU.zip(op, x, scalar, out), cuda.zip(op, x.to(cuda), scalar, out), EXACT);
                Compare.close(what + " first", CPU.zip(op, scalar, x, out), cuda.zip(op, scalar, x.to(cuda), out), EXACT);
            }
        }
    }

    /** op(a, b) for every op, with a and b as given (views included) on both backends. */
    private void zipAllOps(Tensor a, Tensor b) {
        int[] out = Shape.broadcast("zip", a.shape(), b.shape());
        Tensor da = viewOnCuda(a), db = viewOnCuda(b);
        for (BinaryOp op : BinaryOp.values()) {
            String what = op + " " + Arrays.toString(a.shape()) + ", " + Arrays.toString(b.shape());
            Compare.close(what, CPU.zip(op, a, b, out), cuda.zip(op, da, db, out), EXACT);
        }
    }

    /** The same view of the same elements on the device: its storage copied, its strides and offset kept. */
    private Tensor viewOnCuda(Tensor t) {
        Tensor storage = CPU.fromArray(CpuBackend.data(t).clone(), CpuBackend.data(t).length).to(cuda);
        return new Tensor(storage.storage(), t.shape(), t.strides(), t.offset());
    }

    @Test
    void swishBackwardMatchesTheCpu() {
        for (int[] shape : SHAPES) {
            Tensor g = random.uniform(CPU, -1f, 1f, shape), z = random.uniform(CPU, -30f, 30f, shape);
            Compare.close("swishBackward " + Arrays.toString(shape), CPU.swishBackward(g, z),
                    cuda.swishBackward(g.to(cuda), z.to(cuda)), FUNCTIONS);
        }
    }
}
