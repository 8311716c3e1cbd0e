package lanes.engine.conv;

import lanes.engine.internal.CallArguments;

/**
 * What every direct-convolution pass's argument block holds besides its own operands: the geometry and the call's
 * number (which keeps {@link ConvScratch#padImage} from reusing a padded image of an earlier call).
 */
abstract class ConvCall extends CallArguments {
    ConvSpec s;
    long id;

    /** Starts a call on {@code s}: sets the geometry and draws the call's number. */
    final void begin(ConvSpec s) {
        this.s = s;
        this.id = ConvScratch.nextCall();
    }

    @Override
    protected final void clear() {
        s = null;
        clearOperands();
    }

    /** Sets every array and object field of the pass to null. */
    protected abstract void clearOperands();
}
