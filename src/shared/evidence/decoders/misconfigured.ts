import { perLeg } from '../perLeg';
import { maxOf } from '../values';

/** "misconfigured": the highest value of the leg's misconfiguration gauge in the range. */
export const misconfigured = perLeg('misconfigured', (leg, _name, series, c) => {
  leg.misconfiguredMax = maxOf(series, 'misconfigured', c);
});
