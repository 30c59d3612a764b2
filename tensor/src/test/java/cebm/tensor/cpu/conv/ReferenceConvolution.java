package cebm.tensor.cpu.conv;

import cebm.tensor.Conv2dGeometry;
import cebm.tensor.cpu.reference.ReferenceBackend;

/** The reference backend's seven-loop convolution on plain arrays: the yardstick for {@link Conv2dCpu}. */
final class ReferenceConvolution {
    private static final ReferenceBackend REFERENCE = ReferenceBackend.INSTANCE;

    private ReferenceConvolution() {}

    static float[] forward(Conv2dGeometry g, float[] x, float[] w, float[] bias) {
        return REFERENCE.conv2d(REFERENCE.fromArray(x.clone(), g.inputShape()), REFERENCE.fromArray(w.clone(), g.weightShape()),
                bias == null ? null : REFERENCE.fromArray(bias.clone(), g.outChannels()), g).toArray();
    }

    static float[] inputGrad(Conv2dGeometry g, float[] gradOut, float[] w) {
        return REFERENCE.conv2dInputGrad(REFERENCE.fromArray(gradOut.clone(), g.outputShape()),
                REFERENCE.fromArray(w.clone(), g.weightShape()), g).toArray();
    }

    static float[] weightGrad(Conv2dGeometry g, float[] gradOut, float[] x) {
        return REFERENCE.conv2dWeightGrad(REFERENCE.fromArray(gradOut.clone(), g.outputShape()),
                REFERENCE.fromArray(x.clone(), g.inputShape()), g).toArray();
    }
}
