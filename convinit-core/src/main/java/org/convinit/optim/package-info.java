/**
 * Optimizers and learning-rate schedules, reproducing torch 1.13's {@code torch.optim} for float32
 * parameters bit for bit (the single-tensor CPU code, operation by operation; tested against torch over
 * 100 and 3000 steps), and for float64 parameters ({@code model.double()}; state in float64, tested bit for bit
 * over 20 steps).
 *
 * <table>
 * <caption>convinit names and their torch equivalents</caption>
 * <tr><th>convinit</th><th>torch</th></tr>
 * <tr><td>{@link org.convinit.optim.SGD}, {@code SGD.options(lr).momentum(m).nesterov(true)}</td>
 *     <td>{@code torch.optim.SGD(params, lr, momentum=m, nesterov=True)}</td></tr>
 * <tr><td>{@link org.convinit.optim.Adam}, {@code Adam.options().lr(x).betas(b1, b2).amsgrad(true)}</td>
 *     <td>{@code torch.optim.Adam(params, lr=x, betas=(b1, b2), amsgrad=True)}</td></tr>
 * <tr><td>{@link org.convinit.optim.AdamW}, {@code AdamW.options()}</td><td>{@code torch.optim.AdamW(params)}</td></tr>
 * <tr><td>{@link org.convinit.optim.ParamGroup}</td><td>a dict in {@code optimizer.param_groups}</td></tr>
 * <tr><td>{@code step()}, {@code zeroGrad()}, {@code zeroGrad(true)}</td>
 *     <td>{@code step()}, {@code zero_grad()}, {@code zero_grad(set_to_none=True)}</td></tr>
 * <tr><td>{@code state(p)}, {@code stateDict()}, {@code loadStateDict(d)}</td>
 *     <td>{@code state[p]}, {@code state_dict()}, {@code load_state_dict(d)} (flattened; see the method)</td></tr>
 * <tr><td>{@link org.convinit.optim.StepLR}, {@link org.convinit.optim.CosineAnnealingLR}</td>
 *     <td>{@code lr_scheduler.StepLR}, {@code lr_scheduler.CosineAnnealingLR}</td></tr>
 * <tr><td>{@code scheduler.step()}, {@code lastLr()}</td><td>{@code scheduler.step()}, {@code get_last_lr()}</td></tr>
 * </table>
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options(0.1).momentum(0.9).weightDecay(5e-4));
 * var sched = new CosineAnnealingLR(opt, epochs, 0);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (var batch : loader) {
 *         opt.zeroGrad();
 *         loss(model, batch).backward();
 *         opt.step();
 *     }
 *     sched.step();
 * }
 * }</pre>
 */
package org.convinit.optim;
