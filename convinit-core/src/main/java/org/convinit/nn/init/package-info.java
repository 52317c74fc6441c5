/**
 * Inits that need a whole model, not one tensor: {@link org.convinit.nn.init.Lsuv} (layer-sequential unit variance,
 * on a batch). It sits above {@code org.convinit.nn} and {@code org.convinit.init}, so the tensor inits stay free of
 * modules.
 */
package org.convinit.nn.init;
