package cebm.tensor;

/** Elementwise functions of one argument that every backend implements. */
public enum UnaryOp {
    NEG {
        public float apply(float x) { return -x; }
    },
    EXP {
        public float apply(float x) { return (float) Math.exp(x); }
    },
    LOG {
        public float apply(float x) { return (float) Math.log(x); }
    },
    SQRT {
        public float apply(float x) { return (float) Math.sqrt(x); }
    },
    SQUARE {
        public float apply(float x) { return x * x; }
    },
    /** σ(x) = 1 / (1 + e^-x). */
    SIGMOID {
        public float apply(float x) { return sigmoid(x); }
    },
    /** swish(x) = x·σ(x) (also called SiLU). */
    SWISH {
        public float apply(float x) { return x * sigmoid(x); }
    };

    public abstract float apply(float x);

    /** Written so that neither branch overflows: e^-|x| ≤ 1. */
    public static float sigmoid(float x) {
        if (x >= 0) {
            return (float) (1.0 / (1.0 + Math.exp(-x)));
        }
        double e = Math.exp(x);
        return (float) (e / (1.0 + e));
    }
}
