/**
 * Special functions, ported from the cephes library as shipped in SciPy 1.10
 * (scipy/special/cephes: gamma.c `lgam`, unity.c, ndtr.c, igam.c, lanczos.c,
 * chdtr.c) so that p-values follow SciPy's numerics closely:
 *
 * - `chi2Sf(x, df)`  = scipy.stats.chi2.sf  = cephes chdtrc = igamc(df/2, x/2)
 * - `normSf(x)`      = scipy.stats.norm.sf  = cephes ndtr(-x)
 * - `igamc`, `igam`  = scipy.special.gammaincc / gammainc
 * - `lgam`           = cephes lgam (log |Γ(x)|)
 */

const MACHEP = 1.11022302462515654042e-16; // 2^-53
const MAXLOG = 7.09782712893383996732e2; // log(DBL_MAX)
const LOGPI = 1.1447298858494001741434273513530587116472948129153;
const LS2PI = 0.91893853320467274178; // log(sqrt(2 pi))
const MAXLGM = 2.556348e305;
const EULER = 0.577215664901532860606512090082402431;

export function polevl(x: number, coef: readonly number[], n: number): number {
	let ans = coef[0];
	for (let i = 1; i <= n; i++) ans = ans * x + coef[i];
	return ans;
}

/** Like polevl with an implicit leading coefficient 1 (coef has n entries). */
export function p1evl(x: number, coef: readonly number[], n: number): number {
	let ans = x + coef[0];
	for (let i = 1; i < n; i++) ans = ans * x + coef[i];
	return ans;
}

function ratevl(x: number, num: readonly number[], m: number, denom: readonly number[], n: number): number {
	const absx = Math.abs(x);
	let numAns: number;
	let denomAns: number;
	if (absx > 1) {
		const y = 1 / x;
		numAns = num[m];
		for (let i = m - 1; i >= 0; i--) numAns = numAns * y + num[i];
		denomAns = denom[n];
		for (let i = n - 1; i >= 0; i--) denomAns = denomAns * y + denom[i];
		return (Math.pow(x, n - m) * numAns) / denomAns;
	}
	numAns = num[0];
	for (let i = 1; i <= m; i++) numAns = numAns * x + num[i];
	denomAns = denom[0];
	for (let i = 1; i <= n; i++) denomAns = denomAns * x + denom[i];
	return numAns / denomAns;
}

// ---------------------------------------------------------------- lgam (gamma.c)

const LGAM_A = [8.116141674705084503e-4, -5.95061904284301438324e-4, 7.93650340457716943945e-4, -2.77777777730099687205e-3, 8.33333333333331927722e-2];
const LGAM_B = [
	-1.378251525691208591e3, -3.88016315134637840924e4, -3.31612992738871184744e5, -1.16237097492762307383e6, -1.72173700820839662146e6, -8.53555664245765465627e5
];
const LGAM_C = [
	-3.51815701436523470549e2, -1.70642106651881159223e4, -2.20528590553854454839e5, -1.13933444367982507207e6, -2.53252307177582951285e6,
	-2.01889141433532773231e6
];

/** Natural log of |Γ(x)| (cephes lgam). */
export function lgam(xIn: number): number {
	let x = xIn;
	if (!Number.isFinite(x)) return x;
	if (x < -34.0) {
		const q = -x;
		const w = lgam(q);
		let p = Math.floor(q);
		if (p === q) return Infinity;
		let z = q - p;
		if (z > 0.5) {
			p += 1.0;
			z = p - q;
		}
		z = q * Math.sin(Math.PI * z);
		if (z === 0.0) return Infinity;
		return LOGPI - Math.log(z) - w;
	}
	if (x < 13.0) {
		let z = 1.0;
		let p = 0.0;
		let u = x;
		while (u >= 3.0) {
			p -= 1.0;
			u = x + p;
			z *= u;
		}
		while (u < 2.0) {
			if (u === 0.0) return Infinity;
			z /= u;
			p += 1.0;
			u = x + p;
		}
		if (z < 0.0) z = -z;
		if (u === 2.0) return Math.log(z);
		p -= 2.0;
		x = x + p;
		p = (x * polevl(x, LGAM_B, 5)) / p1evl(x, LGAM_C, 6);
		return Math.log(z) + p;
	}
	if (x > MAXLGM) return Infinity;
	let q = (x - 0.5) * Math.log(x) - x + LS2PI;
	if (x > 1.0e8) return q;
	const p = 1.0 / (x * x);
	if (x >= 1000.0) {
		q += ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
	} else {
		q += polevl(p, LGAM_A, 4) / x;
	}
	return q;
}

// ---------------------------------------------------------------- unity.c

/** log(1 + x) - x, accurate for small x. */
export function log1pmx(x: number): number {
	if (Math.abs(x) < 0.5) {
		let xfac = x;
		let res = 0;
		for (let n = 2; n < 500; n++) {
			xfac *= -x;
			const term = xfac / n;
			res += term;
			if (Math.abs(term) < MACHEP * Math.abs(res)) break;
		}
		return res;
	}
	return Math.log1p(x) - x;
}

/** Riemann zeta(n) for n = 2..41 (scipy.special.zeta(n, 1)). */
const ZETA = [
	1.6449340668482266, 1.202056903159594, 1.0823232337111381, 1.0369277551433704, 1.0173430619844488, 1.008349277381923, 1.0040773561979446, 1.0020083928260826,
	1.0009945751278182, 1.0004941886041194, 1.0002460865533078, 1.0001227133475785, 1.0000612481350586, 1.0000305882363072, 1.0000152822594084,
	1.0000076371976376, 1.000003817293265, 1.0000019082127163, 1.0000009539620338, 1.0000004769329867, 1.0000002384505027, 1.000000119219926, 1.000000059608189,
	1.0000000298035034, 1.0000000149015549, 1.0000000074507118, 1.000000003725334, 1.0000000018626598, 1.0000000009313275, 1.0000000004656628, 1.000000000232831,
	1.0000000001164155, 1.0000000000582077, 1.0000000000291038, 1.000000000014552, 1.000000000007276, 1.000000000003638, 1.000000000001819, 1.0000000000009095,
	1.0000000000004547
];

function lgam1pTaylor(x: number): number {
	if (x === 0) return 0;
	let res = -EULER * x;
	let xfac = -x;
	for (let n = 2; n < 42; n++) {
		xfac *= -x;
		const coeff = (ZETA[n - 2] * xfac) / n;
		res += coeff;
		if (Math.abs(coeff) < MACHEP * Math.abs(res)) break;
	}
	return res;
}

/** log Γ(1 + x), accurate near x = 0 and x = 1. */
export function lgam1p(x: number): number {
	if (Math.abs(x) <= 0.5) return lgam1pTaylor(x);
	if (Math.abs(x - 1) < 0.5) return Math.log(x) + lgam1pTaylor(x - 1);
	return lgam(x + 1);
}

// ---------------------------------------------------------------- ndtr.c

const ERFC_P = [
	2.46196981473530512524e-10, 5.64189564831068821977e-1, 7.46321056442269912687, 4.86371970985681366614e1, 1.96520832956077098242e2, 5.26445194995477358631e2,
	9.3452852717195760754e2, 1.02755188689515710272e3, 5.57535335369399327526e2
];
const ERFC_Q = [
	1.32281951154744992508e1, 8.67072140885989742329e1, 3.54937778887819891062e2, 9.75708501743205489753e2, 1.82390916687909736289e3, 2.24633760818710981792e3,
	1.65666309194161350182e3, 5.57535340817727675546e2
];
const ERFC_R = [
	5.64189583547755073984e-1, 1.27536670759978104416, 5.01905042251180477414, 6.16021097993053585195, 7.4097426995044893916, 2.9788666537210024067
];
const ERFC_S = [
	2.2605286322011727659, 9.39603524938001434673, 1.20489539808096656605e1, 1.70814450747565897222e1, 9.60896809063285878198, 3.3690764510008151605
];
const ERF_T = [9.60497373987051638749, 9.00260197203842689217e1, 2.23200534594684319226e3, 7.00332514112805075473e3, 5.55923013010394962768e4];
const ERF_U = [3.35617141647503099647e1, 5.21357949780152679795e2, 4.59432382970980127987e3, 2.26290000613890934246e4, 4.92673942608635921086e4];

export function erfc(a: number): number {
	if (Number.isNaN(a)) return NaN;
	const x = a < 0 ? -a : a;
	if (x < 1.0) return 1.0 - erf(a);
	let z = -a * a;
	if (z < -MAXLOG) return a < 0 ? 2.0 : 0.0;
	z = Math.exp(z);
	let p: number;
	let q: number;
	if (x < 8.0) {
		p = polevl(x, ERFC_P, 8);
		q = p1evl(x, ERFC_Q, 8);
	} else {
		p = polevl(x, ERFC_R, 5);
		q = p1evl(x, ERFC_S, 6);
	}
	let y = (z * p) / q;
	if (a < 0) y = 2.0 - y;
	if (y !== 0.0) return y;
	return a < 0 ? 2.0 : 0.0;
}

export function erf(x: number): number {
	if (Number.isNaN(x)) return NaN;
	if (x < 0.0) return -erf(-x);
	if (Math.abs(x) > 1.0) return 1.0 - erfc(x);
	const z = x * x;
	return (x * polevl(z, ERF_T, 4)) / p1evl(z, ERF_U, 5);
}

/** Standard normal CDF (cephes ndtr). */
export function ndtr(a: number): number {
	if (Number.isNaN(a)) return NaN;
	const x = a * Math.SQRT1_2;
	const z = Math.abs(x);
	if (z < Math.SQRT1_2) return 0.5 + 0.5 * erf(x);
	let y = 0.5 * erfc(z);
	if (x > 0) y = 1.0 - y;
	return y;
}

/** scipy.stats.norm.sf(x) */
export function normSf(x: number): number {
	return ndtr(-x);
}

// ---------------------------------------------------------------- lanczos.c

const LANCZOS_G = 6.024680040776729583740234375;
const LANCZOS_EXPG_NUM = [
	0.006061842346248906525783753964555936883222, 0.5098416655656676188125178644804694509993, 19.51992788247617482847860966235652136208,
	449.9445569063168119446858607650988409623, 6955.999602515376140356310115515198987526, 75999.29304014542649875303443598909137092,
	601859.6171681098786670226533699352302507, 3481712.15498064590882071018964774556468, 14605578.08768506808414169982791359218571,
	43338889.32467613834773723740590533316085, 86363131.28813859145546927288977868422342, 103794043.1163445451906271053616070238554,
	56906521.91347156388090791033559122686859
];
const LANCZOS_EXPG_DENOM = [1, 66, 1925, 32670, 357423, 2637558, 13339535, 45995730, 105258076, 150917976, 120543840, 39916800, 0];

function lanczosSumExpgScaled(x: number): number {
	return ratevl(x, LANCZOS_EXPG_NUM, 12, LANCZOS_EXPG_DENOM, 12);
}

// ---------------------------------------------------------------- igam.c

const IGAM_MAXITER = 2000;
const SMALL = 20;
const LARGE = 200;
const SMALLRATIO = 0.3;
const LARGERATIO = 4.5;
const BIG = 4.503599627370496e15;
const BIGINV = 2.22044604925031308085e-16;

/* prettier-ignore */
const IGAM_D: readonly (readonly number[])[] = [
[-3.3333333333333333e-1, 8.3333333333333333e-2, -1.4814814814814815e-2, 1.1574074074074074e-3, 3.527336860670194e-4, -1.7875514403292181e-4, 3.9192631785224378e-5, -2.1854485106799922e-6, -1.85406221071516e-6, 8.296711340953086e-7, -1.7665952736826079e-7, 6.7078535434014986e-9, 1.0261809784240308e-8, -4.3820360184533532e-9, 9.1476995822367902e-10, -2.551419399494625e-11, -5.8307721325504251e-11, 2.4361948020667416e-11, -5.0276692801141756e-12, 1.1004392031956135e-13, 3.3717632624009854e-13, -1.3923887224181621e-13, 2.8534893807047443e-14, -5.1391118342425726e-16, -1.9752288294349443e-15],
[-1.8518518518518519e-3, -3.4722222222222222e-3, 2.6455026455026455e-3, -9.9022633744855967e-4, 2.0576131687242798e-4, -4.0187757201646091e-7, -1.8098550334489978e-5, 7.6491609160811101e-6, -1.6120900894563446e-6, 4.6471278028074343e-9, 1.378633446915721e-7, -5.752545603517705e-8, 1.1951628599778147e-8, -1.7543241719747648e-11, -1.0091543710600413e-9, 4.1627929918425826e-10, -8.5639070264929806e-11, 6.0672151016047586e-14, 7.1624989648114854e-12, -2.9331866437714371e-12, 5.9966963656836887e-13, -2.1671786527323314e-16, -4.9783399723692616e-14, 2.0291628823713425e-14, -4.13125571381061e-15],
[4.1335978835978836e-3, -2.6813271604938272e-3, 7.7160493827160494e-4, 2.0093878600823045e-6, -1.0736653226365161e-4, 5.2923448829120125e-5, -1.2760635188618728e-5, 3.4235787340961381e-8, 1.3721957309062933e-6, -6.298992138380055e-7, 1.4280614206064242e-7, -2.0477098421990866e-10, -1.4092529910867521e-8, 6.228974084922022e-9, -1.3670488396617113e-9, 9.4283561590146782e-13, 1.2872252400089318e-10, -5.5645956134363321e-11, 1.1975935546366981e-11, -4.1689782251838635e-15, -1.0940640427884594e-12, 4.6622399463901357e-13, -9.905105763906906e-14, 1.8931876768373515e-17, 8.8592218725911273e-15],
[6.4943415637860082e-4, 2.2947209362139918e-4, -4.6918949439525571e-4, 2.6772063206283885e-4, -7.5618016718839764e-5, -2.3965051138672967e-7, 1.1082654115347302e-5, -5.6749528269915966e-6, 1.4230900732435884e-6, -2.7861080291528142e-11, -1.6958404091930277e-7, 8.0994649053880824e-8, -1.9111168485973654e-8, 2.3928620439808118e-12, 2.0620131815488798e-9, -9.4604966618551322e-10, 2.1541049775774908e-10, -1.388823336813903e-14, -2.1894761681963939e-11, 9.7909989511716851e-12, -2.1782191880180962e-12, 6.2088195734079014e-17, 2.126978363279737e-13, -9.3446887915174333e-14, 2.0453671226782849e-14],
[-8.618882909167117e-4, 7.8403922172006663e-4, -2.9907248030319018e-4, -1.4638452578843418e-6, 6.6414982154651222e-5, -3.9683650471794347e-5, 1.1375726970678419e-5, 2.5074972262375328e-10, -1.6954149536558306e-6, 8.9075075322053097e-7, -2.2929348340008049e-7, 2.956794137544049e-11, 2.8865829742708784e-8, -1.4189739437803219e-8, 3.4463580499464897e-9, -2.3024517174528067e-13, -3.9409233028046405e-10, 1.8602338968504502e-10, -4.356323005056618e-11, 1.2786001016296231e-15, 4.6792750266579195e-12, -2.1492464706134829e-12, 4.9088156148096522e-13, -6.3385914848915603e-18, -5.0453320690800944e-14],
[-3.3679855336635815e-4, -6.9728137583658578e-5, 2.7727532449593921e-4, -1.9932570516188848e-4, 6.7977804779372078e-5, 1.419062920643967e-7, -1.3594048189768693e-5, 8.0184702563342015e-6, -2.2914811765080952e-6, -3.252473551298454e-10, 3.4652846491085265e-7, -1.8447187191171343e-7, 4.8240967037894181e-8, -1.7989466721743515e-14, -6.3061945000135234e-9, 3.1624176287745679e-9, -7.8409242536974293e-10, 5.1926791652540407e-15, 9.3589442423067836e-11, -4.5134262161632782e-11, 1.0799129993116827e-11, -3.661886712685252e-17, -1.210902069055155e-12, 5.6807435849905643e-13, -1.3249659916340829e-13],
[5.3130793646399222e-4, -5.9216643735369388e-4, 2.7087820967180448e-4, 7.9023532326603279e-7, -8.1539693675619688e-5, 5.6116827531062497e-5, -1.8329116582843376e-5, -3.0796134506033048e-9, 3.4651553688036091e-6, -2.0291327396058604e-6, 5.7887928631490037e-7, 2.338630673826657e-13, -8.8286007463304835e-8, 4.7435958880408128e-8, -1.2545415020710382e-8, 8.6496488580102925e-14, 1.6846058979264063e-9, -8.5754928235775947e-10, 2.1598224929232125e-10, -7.6132305204761539e-16, -2.6639822008536144e-11, 1.3065700536611057e-11, -3.1799163902367977e-12, 4.7109761213674315e-18, 3.6902800842763467e-13],
[3.4436760689237767e-4, 5.1717909082605922e-5, -3.3493161081142236e-4, 2.812695154763237e-4, -1.0976582244684731e-4, -1.2741009095484485e-7, 2.7744451511563644e-5, -1.8263488805711333e-5, 5.7876949497350524e-6, 4.9387589339362704e-10, -1.0595367014026043e-6, 6.1667143761104075e-7, -1.7562973359060462e-7, -1.2974473287015439e-12, 2.695423606288966e-8, -1.4578352908731271e-8, 3.887645959386175e-9, -3.8810022510194121e-17, -5.3279941738772867e-10, 2.7437977643314845e-10, -6.9957960920705679e-11, 2.5899863874868481e-17, 8.8566890996696381e-12, -4.403168815871311e-12, 1.0865561947091654e-12],
[-6.5262391859530942e-4, 8.3949872067208728e-4, -4.3829709854172101e-4, -6.969091458420552e-7, 1.6644846642067548e-4, -1.2783517679769219e-4, 4.6299532636913043e-5, 4.5579098679227077e-9, -1.0595271125805195e-5, 6.7833429048651666e-6, -2.1075476666258804e-6, -1.7213731432817145e-11, 3.7735877416110979e-7, -2.1867506700122867e-7, 6.2202288040189269e-8, 6.5977038267330006e-16, -9.5903864974256858e-9, 5.2132144922808078e-9, -1.3991589583935709e-9, 5.382058999060575e-16, 1.9484714275467745e-10, -1.0127287556389682e-10, 2.6077347197254926e-11, -5.0904186999932993e-18, -3.3721464474854592e-12],
[-5.9676129019274625e-4, -7.2048954160200106e-5, 6.7823088376673284e-4, -6.4014752602627585e-4, 2.7750107634328704e-4, 1.8197008380465151e-7, -8.4795071170685032e-5, 6.105192082501531e-5, -2.1073920183404862e-5, -8.8585890141255994e-10, 4.5284535953805377e-6, -2.8427815022504408e-6, 8.7082341778646412e-7, 3.6886101871706965e-12, -1.5344695190702061e-7, 8.862466778790695e-8, -2.5184812301826817e-8, -1.0225912098215092e-14, 3.8969470758154777e-9, -2.1267304792235635e-9, 5.7370135528051385e-10, -1.887749850169741e-19, -8.0931538694657866e-11, 4.2382723283449199e-11, -1.1002224534207726e-11],
[1.3324454494800656e-3, -1.9144384985654775e-3, 1.1089369134596637e-3, 9.932404122642299e-7, -5.0874501293093199e-4, 4.2735056665392884e-4, -1.6858853767910799e-4, -8.1301893922784998e-9, 4.5284402370562147e-5, -3.127053674781734e-5, 1.044986828530338e-5, 4.8435226265680926e-11, -2.1482565873456258e-6, 1.329369701097492e-6, -4.0295693092101029e-7, -1.7567877666323291e-13, 7.0145043163668257e-8, -4.040787734999483e-8, 1.1474026743371963e-8, 3.9642746853563325e-18, -1.7804938269892714e-9, 9.7480262548731646e-10, -2.6405338676507616e-10, 5.794875163403742e-18, 3.7647749553543836e-11],
[1.579727660730835e-3, 1.6251626278391582e-4, -2.0633421035543276e-3, 2.1389686185689098e-3, -1.0108559391263003e-3, -3.9912705529919201e-7, 3.6235025084764691e-4, -2.8143901463712154e-4, 1.0449513336495887e-4, 2.1211418491830297e-9, -2.5779417251947842e-5, 1.7281818956040463e-5, -5.6413773872904282e-6, -1.1024320105776174e-11, 1.1223224418895175e-6, -6.8693396379526735e-7, 2.0653236975414887e-7, 4.6714772409838506e-14, -3.5609886164949055e-8, 2.0470855345905963e-8, -5.8091738633283358e-9, -1.332821287582869e-16, 9.0354604391335133e-10, -4.9598782517330834e-10, 1.3481607129399749e-10],
[-4.0725121195140166e-3, 6.4033628338080698e-3, -4.0410161081676618e-3, -2.183732802866233e-6, 2.1740441801254639e-3, -1.9700440518418892e-3, 8.3595469747962458e-4, 1.9445447567109655e-8, -2.5779387120421696e-4, 1.9009987368139304e-4, -6.7696499937438965e-5, -1.4440629666426572e-10, 1.5712512518742269e-5, -1.0304008744776893e-5, 3.304517767401387e-6, 7.9829760242325709e-13, -6.4097794149313004e-7, 3.8894624761300056e-7, -1.1618347644948869e-7, -2.816808630596451e-15, 1.9878012911297093e-8, -1.1407719956357511e-8, 3.2355857064185555e-9, 4.1759468293455945e-20, -5.0423112718105824e-10],
[-5.9475779383993003e-3, -5.4016476789260452e-4, 8.7910413550767898e-3, -9.8576315587856125e-3, 5.0134695031021538e-3, 1.2807521786221875e-6, -2.0626019342754683e-3, 1.7109128573523058e-3, -6.7695312714133799e-4, -6.9011545676562133e-9, 1.8855128143995902e-4, -1.3395215663491969e-4, 4.6263183033528039e-5, 4.0034230613321351e-11, -1.0255652921494033e-5, 6.612086372797651e-6, -2.0913022027253008e-6, -2.0951775649603837e-13, 3.9756029041993247e-7, -2.3956211978815887e-7, 7.1182883382145864e-8, 8.925574873053455e-16, -1.2101547235064676e-8, 6.9350618248334386e-9, -1.9661464453856102e-9],
[1.7402027787522711e-2, -2.9527880945699121e-2, 2.0045875571402799e-2, 7.0289515966903407e-6, -1.2375421071343148e-2, 1.1976293444235254e-2, -5.4156038466518525e-3, -6.3290893396418616e-8, 1.8855118129005065e-3, -1.473473274825001e-3, 5.5515810097708387e-4, 5.2406834412550662e-10, -1.4357913535784836e-4, 9.9181293224943297e-5, -3.3460834749478311e-5, -3.5755837291098993e-12, 7.1560851960630076e-6, -4.5516802628155526e-6, 1.4236576649271475e-6, 1.8803149082089664e-14, -2.6623403898929211e-7, 1.5950642189595716e-7, -4.7187514673841102e-8, -6.5107872958755177e-17, 7.9795091026746235e-9],
[3.0249124160905891e-2, 2.4817436002649977e-3, -4.9939134373457022e-2, 5.9915643009307869e-2, -3.2483207601623391e-2, -5.7212968652103441e-6, 1.5085251778569354e-2, -1.3261324005088445e-2, 5.5515262632426148e-3, 3.0263182257030016e-8, -1.7229548406756723e-3, 1.2893570099929637e-3, -4.6845138348319876e-4, -1.830259937893045e-10, 1.1449739014822654e-4, -7.7378565221244477e-5, 2.5625836246985201e-5, 1.0766165333192814e-12, -5.3246809282422621e-6, 3.349634863064464e-6, -1.0381253128684018e-6, -5.608909920621128e-15, 1.9150821930676591e-7, -1.1418365800203486e-7, 3.3654425209171788e-8],
[-9.9051020880159045e-2, 1.7954011706123486e-1, -1.2989606383463778e-1, -3.1478872752284357e-5, 9.0510635276848131e-2, -9.2828824411184397e-2, 4.4412112839877808e-2, 2.7779236316835888e-7, -1.7229543805449697e-2, 1.4182925050891573e-2, -5.6214161633747336e-3, -2.39598509186381e-9, 1.6029634366079908e-3, -1.1606784674435773e-3, 4.1001337768153873e-4, 1.8365800754090661e-11, -9.5844256563655903e-5, 6.3643062337764708e-5, -2.076250624489065e-5, -1.1806020912804483e-13, 4.2131808239120649e-6, -2.6262241337012467e-6, 8.0770620494930662e-7, 6.0125912123632725e-16, -1.4729737374018841e-7],
[-1.9994542198219728e-1, -1.5056113040026424e-2, 3.6470239469348489e-1, -4.6435192311733545e-1, 2.6640934719197893e-1, 3.4038266027147191e-5, -1.3784338709329624e-1, 1.276467178337056e-1, -5.6213828755200985e-2, -1.753150885483011e-7, 1.9235592956768113e-2, -1.5088821281095315e-2, 5.7401854451350123e-3, 1.0622382710310225e-9, -1.5335082692563998e-3, 1.0819320643228214e-3, -3.7372510193945659e-4, -6.6170909729031985e-12, 8.4263617380909628e-5, -5.5150706827483479e-5, 1.7769536448348069e-5, 3.8827923210205533e-14, -3.53513697488768e-6, 2.1865832130045269e-6, -6.6812849447625594e-7],
[7.2438608504029431e-1, -1.3918010932653375, 1.0654143352413968, 1.876173868950258e-4, -8.2705501176152696e-1, 8.9352433347828414e-1, -4.4971003995291339e-1, -1.6107401567546652e-6, 1.9235590165271091e-1, -1.6597702160042609e-1, 6.8882222681814333e-2, 1.3910091724608687e-8, -2.146911561508663e-2, 1.6228980898865892e-2, -5.9796016172584256e-3, -1.1287469112826745e-10, 1.5167451119784857e-3, -1.0478634293553899e-3, 3.5539072889126421e-4, 8.1704322111801517e-13, -7.7773013442452395e-5, 5.0291413897007722e-5, -1.6035083867000518e-5, 1.2469354315487605e-14, 3.1369106244517615e-6],
[1.6668949727276811, 1.165462765994632e-1, -3.3288393225018906, 4.4692325482864037, -2.6977693045875807, -2.600667859891061e-4, 1.5389017615694539, -1.4937962361134612, 6.8881964633233148e-1, 1.3077482004552385e-6, -2.5762963325596288e-1, 2.1097676102125449e-1, -8.3714408359219882e-2, -7.7920428881354753e-9, 2.4267923064833599e-2, -1.7813678334552311e-2, 6.3970330388900056e-3, 4.9430807090480523e-11, -1.5554602758465635e-3, 1.0561196919903214e-3, -3.5277184460472902e-4, 9.3002334645022459e-14, 7.5285855026557172e-5, -4.8186515569156351e-5, 1.5227271505597605e-5],
[-6.6188298861372935, 1.3397985455142589e+1, -1.0789350606845146e+1, -1.4352254537875018e-3, 9.2333694596189809, -1.0456552819547769e+1, 5.5105526029033471, 1.2024439690716742e-5, -2.5762961164755816, 2.3207442745387179, -1.0045728797216284, -1.0207833290021914e-7, 3.3975092171169466e-1, -2.6720517450757468e-1, 1.0235252851562706e-1, 8.4329730484871625e-10, -2.7998284958442595e-2, 2.0066274144976813e-2, -7.0554368915086242e-3, 1.9402238183698188e-12, 1.6562888105449611e-3, -1.1082898580743683e-3, 3.654545161310169e-4, -5.1290032026971794e-11, -7.6340103696869031e-5],
[-1.7112706061976095e+1, -1.1208044642899116, 3.7131966511885444e+1, -5.2298271025348962e+1, 3.3058589696624618e+1, 2.4791298976200222e-3, -2.061089403411526e+1, 2.088672775145582e+1, -1.0045703956517752e+1, -1.2238783449063012e-5, 4.0770134274221141, -3.473667358470195, 1.4329352617312006, 7.1359914411879712e-8, -4.4797257159115612e-1, 3.4112666080644461e-1, -1.2699786326594923e-1, -2.8953677269081528e-10, 3.3125776278259863e-2, -2.3274087021036101e-2, 8.0399993503648882e-3, -1.177805216235265e-9, -1.8321624891071668e-3, 1.2108282933588665e-3, -3.9479941246822517e-4],
[7.389033153567425e+1, -1.5680141270402273e+2, 1.322177542759164e+2, 1.3692876877324546e-2, -1.2366496885920151e+2, 1.4620689391062729e+2, -8.0365587724865346e+1, -1.1259851148881298e-4, 4.0770132196179938e+1, -3.8210340013273034e+1, 1.719522294277362e+1, 9.3519707955168356e-7, -6.2716159907747034, 5.1168999071852637, -2.0319658112299095, -4.9507215582761543e-9, 5.9626397294332597e-1, -4.4220765337238094e-1, 1.6079998700166273e-1, -2.4733786203223402e-8, -4.0307574759979762e-2, 2.7849050747097869e-2, -9.4751858992054221e-3, 6.419922235909132e-6, 2.1250180774699461e-3],
[2.1216837098382522e+2, 1.3107863022633868e+1, -4.9698285932871748e+2, 7.3121595266969204e+2, -4.8213821720890847e+2, -2.8817248692894889e-2, 3.2616720302947102e+2, -3.4389340280087117e+2, 1.7195193870816232e+2, 1.4038077378096158e-4, -7.52594195897599e+1, 6.651969984520934e+1, -2.8447519748152462e+1, -7.613702615875391e-7, 9.5402237105304373, -7.5175301113311376, 2.8943997568871961, -4.6612194999538201e-7, -8.0615149598794088e-1, 5.8483006570631029e-1, -2.0845408972964956e-1, 1.4765818959305817e-4, 5.1000433863753019e-2, -3.3066252141883665e-2, 1.5109265210467774e-2],
[-9.8959643098322368e+2, 2.1925555360905233e+3, -1.9283586782723356e+3, -1.5925738122215253e-1, 1.9569985945919857e+3, -2.4072514765081556e+3, 1.3756149959336496e+3, 1.2920735237496668e-3, -7.525941715948055e+2, 7.3171668742208716e+2, -3.4137023466220065e+2, -9.9857390260608043e-6, 1.3356313181291573e+2, -1.1276295161252794e+2, 4.6310396098204458e+1, -7.9237387133614756e-6, -1.4510726927018646e+1, 1.1111771248100563e+1, -4.1690817945270892, 3.1008219800117808e-3, 1.1220095449981468, -7.6052379926149916e-1, 3.6262236505085254e-1, 2.216867741940747e-1, 4.8683443692930507e-1]
];

/** x^a e^-x / Γ(a), computed as in cephes `igam_fac`. */
function igamFac(a: number, x: number): number {
	if (Math.abs(a - x) > 0.4 * Math.abs(a)) {
		const ax = a * Math.log(x) - x - lgam(a);
		if (ax < -MAXLOG) return 0.0;
		return Math.exp(ax);
	}
	const fac = a + LANCZOS_G - 0.5;
	let res = Math.sqrt(fac / Math.E) / lanczosSumExpgScaled(a);
	if (a < 200 && x < 200) {
		res *= Math.exp(a - x) * Math.pow(x / fac, a);
	} else {
		const num = x - a - LANCZOS_G + 0.5;
		res *= Math.exp(a * log1pmx(num / fac) + (x * (0.5 - LANCZOS_G)) / fac);
	}
	return res;
}

function igamcContinuedFraction(a: number, x: number): number {
	const ax = igamFac(a, x);
	if (ax === 0.0) return 0.0;
	let y = 1.0 - a;
	let z = x + y + 1.0;
	let c = 0.0;
	let pkm2 = 1.0;
	let qkm2 = x;
	let pkm1 = x + 1.0;
	let qkm1 = z * x;
	let ans = pkm1 / qkm1;
	for (let i = 0; i < IGAM_MAXITER; i++) {
		c += 1.0;
		y += 1.0;
		z += 2.0;
		const yc = y * c;
		const pk = pkm1 * z - pkm2 * yc;
		const qk = qkm1 * z - qkm2 * yc;
		let t: number;
		if (qk !== 0) {
			const r = pk / qk;
			t = Math.abs((ans - r) / r);
			ans = r;
		} else {
			t = 1.0;
		}
		pkm2 = pkm1;
		pkm1 = pk;
		qkm2 = qkm1;
		qkm1 = qk;
		if (Math.abs(pk) > BIG) {
			pkm2 *= BIGINV;
			pkm1 *= BIGINV;
			qkm2 *= BIGINV;
			qkm1 *= BIGINV;
		}
		if (t <= MACHEP) break;
	}
	return ans * ax;
}

function igamSeries(a: number, x: number): number {
	const ax = igamFac(a, x);
	if (ax === 0.0) return 0.0;
	let r = a;
	let c = 1.0;
	let ans = 1.0;
	for (let i = 0; i < IGAM_MAXITER; i++) {
		r += 1.0;
		c *= x / r;
		ans += c;
		if (c <= MACHEP * ans) break;
	}
	return (ans * ax) / a;
}

function igamcSeries(a: number, x: number): number {
	let fac = 1;
	let sum = 0;
	for (let n = 1; n < IGAM_MAXITER; n++) {
		fac *= -x / n;
		const term = fac / (a + n);
		sum += term;
		if (Math.abs(term) <= MACHEP * Math.abs(sum)) break;
	}
	const logx = Math.log(x);
	const term = -Math.expm1(a * logx - lgam1p(a));
	return term - Math.exp(a * logx - lgam(a)) * sum;
}

function asymptoticSeries(a: number, x: number, igamFunc: boolean): number {
	const K = 25;
	const N = 25;
	const lambda = x / a;
	const sigma = (x - a) / a;
	const sgn = igamFunc ? -1 : 1;
	let eta: number;
	if (lambda > 1) eta = Math.sqrt(-2 * log1pmx(sigma));
	else if (lambda < 1) eta = -Math.sqrt(-2 * log1pmx(sigma));
	else eta = 0;
	let res = 0.5 * erfc(sgn * eta * Math.sqrt(a / 2));
	const etapow = new Float64Array(N);
	etapow[0] = 1;
	let maxpow = 0;
	let absoldterm = Infinity;
	let sum = 0;
	let afac = 1;
	for (let k = 0; k < K; k++) {
		const dk = IGAM_D[k];
		let ck = dk[0];
		for (let n = 1; n < N; n++) {
			if (n > maxpow) {
				etapow[n] = eta * etapow[n - 1];
				maxpow += 1;
			}
			const ckterm = dk[n] * etapow[n];
			ck += ckterm;
			if (Math.abs(ckterm) < MACHEP * Math.abs(ck)) break;
		}
		const term = ck * afac;
		const absterm = Math.abs(term);
		if (absterm > absoldterm) break;
		sum += term;
		if (absterm < MACHEP * Math.abs(sum)) break;
		absoldterm = absterm;
		afac /= a;
	}
	res += (sgn * Math.exp(-0.5 * a * eta * eta) * sum) / Math.sqrt(2 * Math.PI * a);
	return res;
}

/** Regularized lower incomplete gamma P(a, x) (scipy.special.gammainc). */
export function igam(a: number, x: number): number {
	if (x < 0 || a < 0 || Number.isNaN(a) || Number.isNaN(x)) return NaN;
	if (a === 0) return x > 0 ? 1 : NaN;
	if (x === 0) return 0;
	if (!Number.isFinite(a)) return Number.isFinite(x) ? 0 : NaN;
	if (!Number.isFinite(x)) return 1;
	const absxmaA = Math.abs(x - a) / a;
	if (a > SMALL && a < LARGE && absxmaA < SMALLRATIO) return asymptoticSeries(a, x, true);
	if (a > LARGE && absxmaA < LARGERATIO / Math.sqrt(a)) return asymptoticSeries(a, x, true);
	if (x > 1.0 && x > a) return 1.0 - igamc(a, x);
	return igamSeries(a, x);
}

/** Regularized upper incomplete gamma Q(a, x) (scipy.special.gammaincc). */
export function igamc(a: number, x: number): number {
	if (x < 0 || a < 0 || Number.isNaN(a) || Number.isNaN(x)) return NaN;
	if (a === 0) return x > 0 ? 0 : NaN;
	if (x === 0) return 1;
	if (!Number.isFinite(a)) return Number.isFinite(x) ? 1 : NaN;
	if (!Number.isFinite(x)) return 0;
	const absxmaA = Math.abs(x - a) / a;
	if (a > SMALL && a < LARGE && absxmaA < SMALLRATIO) return asymptoticSeries(a, x, false);
	if (a > LARGE && absxmaA < LARGERATIO / Math.sqrt(a)) return asymptoticSeries(a, x, false);
	if (x > 1.1) {
		if (x < a) return 1.0 - igamSeries(a, x);
		return igamcContinuedFraction(a, x);
	}
	if (x <= 0.5) {
		if (-0.4 / Math.log(x) < a) return 1.0 - igamSeries(a, x);
		return igamcSeries(a, x);
	}
	if (x * 1.1 < a) return 1.0 - igamSeries(a, x);
	return igamcSeries(a, x);
}

/** scipy.stats.chi2.sf(x, df) (cephes chdtrc). */
export function chi2Sf(x: number, df: number): number {
	if (Number.isNaN(x) || Number.isNaN(df)) return NaN;
	if (!(df > 0)) return NaN;
	if (x < 0.0) return 1.0;
	return igamc(df / 2.0, x / 2.0);
}

// ================================================================ appended for A/B statistics (src/lib/stats/ab)
// cephes gamma.c `Gamma`, beta.c `beta`/`lbeta`, incbet.c, ndtri.c, bdtr.c; the Student t
// distribution as SciPy 1.10 computes it (cdflib `cdft`: `stdtr` = t.cdf, `stdtrit` = t.ppf).

const MINLOG_CEPHES = -7.451332191019412076235e2; // log(2^-1075)
const MAXGAM = 171.624376956302725;

const GAMMA_P = [
	1.60119522476751861407e-4, 1.19135147006586384913e-3, 1.04213797561761569935e-2, 4.76367800457137231464e-2, 2.0744822764843597515e-1,
	4.94214826801497100753e-1, 9.99999999999999996796e-1
];
const GAMMA_Q = [
	-2.31581873324120129819e-5, 5.39605580493303397842e-4, -4.45641913851797240494e-3, 1.18139785222060435552e-2, 3.58236398605498653373e-2,
	-2.34591795718243348568e-1, 7.14304917030273074085e-2, 1.0000000000000000032
];
const GAMMA_STIR = [7.87311395793093628397e-4, -2.2954996161337812638e-4, -2.68132617805781232825e-3, 3.4722222160545866731e-3, 8.33333333333482257126e-2];

function gammaStirling(x: number): number {
	if (x >= MAXGAM) return Infinity;
	let w = 1.0 / x;
	w = 1.0 + w * polevl(w, GAMMA_STIR, 4);
	let y = Math.exp(x);
	if (x > 143.01608) {
		const v = Math.pow(x, 0.5 * x - 0.25);
		y = v * (v / y);
	} else {
		y = Math.pow(x, x - 0.5) / y;
	}
	return 2.50662827463100050242 * y * w;
}

/** Γ(x) (cephes Gamma). */
export function gammaFn(xIn: number): number {
	let x = xIn;
	if (!Number.isFinite(x)) return x;
	const q = Math.abs(x);
	if (q > 33.0) {
		if (x >= 0) return gammaStirling(x);
		let p = Math.floor(q);
		if (p === q) return Infinity;
		const sign = (p & 1) === 0 ? -1 : 1;
		let z = q - p;
		if (z > 0.5) {
			p += 1.0;
			z = q - p;
		}
		z = q * Math.sin(Math.PI * z);
		if (z === 0) return sign * Infinity;
		return (sign * Math.PI) / (Math.abs(z) * gammaStirling(q));
	}
	let z = 1.0;
	while (x >= 3.0) {
		x -= 1.0;
		z *= x;
	}
	const small = (): number => (x === 0 ? Infinity : z / ((1.0 + 0.5772156649015329 * x) * x));
	while (x < 0.0) {
		if (x > -1e-9) return small();
		z /= x;
		x += 1.0;
	}
	while (x < 2.0) {
		if (x < 1e-9) return small();
		z /= x;
		x += 1.0;
	}
	if (x === 2.0) return z;
	x -= 2.0;
	return (z * polevl(x, GAMMA_P, 6)) / polevl(x, GAMMA_Q, 7);
}

function lbetaAsymp(a: number, b: number): number {
	let r = lgam(b);
	r -= b * Math.log(a);
	r += (b * (1 - b)) / (2 * a);
	r += (b * (1 - b) * (1 - 2 * b)) / (12 * a * a);
	r += -(b * b * (1 - b) * (1 - b)) / (12 * a * a * a);
	return r;
}

/** B(a, b) for a, b > 0 (cephes beta). */
export function betaFn(aIn: number, bIn: number): number {
	let a = aIn;
	let b = bIn;
	if (!(a > 0 && b > 0)) return NaN;
	if (a < b) [a, b] = [b, a];
	if (a > 1e6 * b && a > 1e6) return Math.exp(lbetaAsymp(a, b));
	let y = a + b;
	if (y > MAXGAM || a > MAXGAM || b > MAXGAM) return Math.exp(lgam(a) + (lgam(b) - lgam(y)));
	y = gammaFn(y);
	const ga = gammaFn(a);
	const gb = gammaFn(b);
	if (y === 0) return Infinity;
	if (Math.abs(Math.abs(ga) - Math.abs(y)) > Math.abs(Math.abs(gb) - Math.abs(y))) return (gb / y) * ga;
	return (ga / y) * gb;
}

/** log B(a, b) for a, b > 0 (cephes lbeta). */
export function lbeta(aIn: number, bIn: number): number {
	let a = aIn;
	let b = bIn;
	if (!(a > 0 && b > 0)) return NaN;
	if (a < b) [a, b] = [b, a];
	if (a > 1e6 * b && a > 1e6) return lbetaAsymp(a, b);
	const y = a + b;
	if (!(y > MAXGAM || a > MAXGAM || b > MAXGAM)) return Math.log(betaFn(a, b));
	// Here a > 85. cephes differences lgam values (~a·log a), losing ~log10(a·log a) digits; write
	// Stirling's series so that the large terms cancel analytically (as TOMS 708 betaln does).
	if (b >= 13) {
		return (
			-(a - 0.5) * Math.log1p(b / a) -
			(b - 0.5) * Math.log1p(a / b) -
			0.5 * Math.log(y) +
			LS2PI +
			(stirlingCorrection(a) + stirlingCorrection(b) - stirlingCorrection(y))
		);
	}
	return lgam(b) - lgamRatio(a, b);
}

/** log Γ(a + b) − log Γ(a) for a ≥ 13, b ≥ 0, without differencing two large lgam values. */
function lgamRatio(a: number, b: number): number {
	return (a - 0.5) * Math.log1p(b / a) + b * Math.log(a + b) - b + (stirlingCorrection(a + b) - stirlingCorrection(a));
}

/**
 * I_x(a, b) for large a and b ≤ 1 by the asymptotic expansion of TOMS 708 bgrat (Didonato &
 * Morris 1992), where cephes' continued fraction needs more than its 300 terms (a ≳ 1e4: a Student
 * t with df ≳ 2e4). `y` = 1 − x. NaN if the expansion fails (the caller falls back).
 */
function incbetLargeA(a: number, b: number, x: number, y: number): number {
	const bm1 = b - 0.5 - 0.5;
	const nu = a + 0.5 * bm1;
	const lnx = y > 0.375 ? Math.log(x) : Math.log1p(-y);
	const z = -nu * lnx;
	if (b * z === 0) return NaN;
	// r = exp(−z)·z^b / Γ(b);  u = r·Γ(a + b) / (Γ(a)·nu^b)
	const logr = b * Math.log(z) - z - lgam(b);
	const r = Math.exp(logr);
	const u = Math.exp(logr + lgamRatio(a, b) - b * Math.log(nu));
	if (u === 0 || r === 0) return NaN;
	const q = igamc(b, z);
	const v = 0.25 / (nu * nu);
	const t2 = 0.25 * lnx * lnx;
	let j = q / r;
	let sum = j;
	let t = 1.0;
	let cn = 1.0;
	let n2 = 0.0;
	const c = new Float64Array(31);
	const d = new Float64Array(31);
	for (let n = 1; n <= 30; n++) {
		const bp2n = b + n2;
		j = (bp2n * (bp2n + 1.0) * j + (z + bp2n + 1.0) * t) * v;
		n2 += 2.0;
		t *= t2;
		cn /= n2 * (n2 + 1.0);
		c[n] = cn;
		let s = 0.0;
		if (n !== 1) {
			let coef = b - n;
			for (let i = 1; i <= n - 1; i++) {
				s += coef * c[i] * d[n - i];
				coef += b;
			}
		}
		d[n] = bm1 * cn + s / n;
		const dj = d[n] * j;
		sum += dj;
		if (sum <= 0.0) return NaN;
		if (Math.abs(dj) <= 1e-16 * sum) break;
	}
	return u * sum;
}

/** lgam(x) − [(x − ½)·log x − x + ½·log 2π] for x ≥ 13, with cephes lgam's coefficients. */
function stirlingCorrection(x: number): number {
	const p = 1.0 / (x * x);
	if (x >= 1000.0) return ((7.9365079365079365079365e-4 * p - 2.7777777777777777777778e-3) * p + 0.0833333333333333333333) / x;
	return polevl(p, LGAM_A, 4) / x;
}

const INCBET_BIG = 4.503599627370496e15;
const INCBET_BIGINV = 2.22044604925031308085e-16;

function incbetPseries(a: number, b: number, x: number): number {
	const ai = 1.0 / a;
	let u = (1.0 - b) * x;
	let v = u / (a + 1.0);
	const t1 = v;
	let t = u;
	let n = 2.0;
	let s = 0.0;
	const z = MACHEP * ai;
	while (Math.abs(v) > z) {
		u = ((n - b) * x) / n;
		t *= u;
		v = t / (a + n);
		s += v;
		n += 1.0;
	}
	s += t1;
	s += ai;
	u = a * Math.log(x);
	if (a + b < MAXGAM && Math.abs(u) < MAXLOG) {
		return s * (1.0 / betaFn(a, b)) * Math.pow(x, a);
	}
	const l = -lbeta(a, b) + u + Math.log(s);
	return l < MINLOG_CEPHES ? 0.0 : Math.exp(l);
}

/** The two continued fractions of cephes incbet (incbcf when `second` is false, incbd otherwise). */
function incbetFraction(a: number, b: number, x: number, xc: number, second: boolean): number {
	let k1 = a;
	let k2 = second ? b - 1.0 : a + b;
	let k3 = a;
	let k4 = a + 1.0;
	let k5 = 1.0;
	let k6 = second ? a + b : b - 1.0;
	let k7 = a + 1.0;
	let k8 = a + 2.0;
	let pkm2 = 0.0;
	let qkm2 = 1.0;
	let pkm1 = 1.0;
	let qkm1 = 1.0;
	const z = second ? x / xc : x;
	let ans = 1.0;
	let r = 1.0;
	const thresh = 3.0 * MACHEP;
	for (let n = 0; n < 300; n++) {
		let xk = -(z * k1 * k2) / (k3 * k4);
		let pk = pkm1 + pkm2 * xk;
		let qk = qkm1 + qkm2 * xk;
		pkm2 = pkm1;
		pkm1 = pk;
		qkm2 = qkm1;
		qkm1 = qk;
		xk = (z * k5 * k6) / (k7 * k8);
		pk = pkm1 + pkm2 * xk;
		qk = qkm1 + qkm2 * xk;
		pkm2 = pkm1;
		pkm1 = pk;
		qkm2 = qkm1;
		qkm1 = qk;
		if (qk !== 0) r = pk / qk;
		let t: number;
		if (r !== 0) {
			t = Math.abs((ans - r) / r);
			ans = r;
		} else {
			t = 1.0;
		}
		if (t < thresh) break;
		k1 += 1.0;
		if (second) k2 -= 1.0;
		else k2 += 1.0;
		k3 += 2.0;
		k4 += 2.0;
		k5 += 1.0;
		if (second) k6 += 1.0;
		else k6 -= 1.0;
		k7 += 2.0;
		k8 += 2.0;
		if (Math.abs(qk) + Math.abs(pk) > INCBET_BIG) {
			pkm2 *= INCBET_BIGINV;
			pkm1 *= INCBET_BIGINV;
			qkm2 *= INCBET_BIGINV;
			qkm1 *= INCBET_BIGINV;
		}
		if (Math.abs(qk) < INCBET_BIGINV || Math.abs(pk) < INCBET_BIGINV) {
			pkm2 *= INCBET_BIG;
			pkm1 *= INCBET_BIG;
			qkm2 *= INCBET_BIG;
			qkm1 *= INCBET_BIG;
		}
	}
	return ans;
}

/**
 * Regularized incomplete beta I_x(a, b) for a, b > 0 (cephes incbet = scipy.special.betainc).
 * `xxc` is 1 − x when the caller knows it more accurately than 1 − x rounds (x near 1): cephes
 * takes a·log(x), which for a ~ 1e6 turns x's rounding into a 1e-10 relative error; this uses
 * log1p(−xxc) instead, as TOMS 708 bratio does with its (x, y) pair.
 */
export function incbet(aa: number, bb: number, xx: number, xxc = 1.0 - xx): number {
	if (!(aa > 0 && bb > 0)) return NaN;
	if (xx <= 0 || xx >= 1) {
		if (xx === 0) return 0;
		if (xx === 1) return 1;
		return NaN;
	}
	if (bb * xx <= 1.0 && xx <= 0.95) return incbetPseries(aa, bb, xx);
	let w = xxc;
	let a: number;
	let b: number;
	let x: number;
	let xc: number;
	let flag = false;
	if (xx > aa / (aa + bb)) {
		flag = true;
		a = bb;
		b = aa;
		xc = xx;
		x = w;
	} else {
		a = aa;
		b = bb;
		xc = w;
		x = xx;
	}
	let t = b <= 1.0 && a >= 1000.0 ? incbetLargeA(a, b, x, xc) : NaN;
	if (!Number.isNaN(t)) {
		// done: the large-a expansion
	} else if (flag && b * x <= 1.0 && x <= 0.95) {
		t = incbetPseries(a, b, x);
	} else {
		let y = x * (a + b - 2.0) - (a - 1.0);
		w = y < 0.0 ? incbetFraction(a, b, x, xc, false) : incbetFraction(a, b, x, xc, true) / xc;
		y = a * (x > 0.5 ? Math.log1p(-xc) : Math.log(x));
		t = b * (xc > 0.5 ? Math.log1p(-x) : Math.log(xc));
		if (a + b < MAXGAM && Math.abs(y) < MAXLOG && Math.abs(t) < MAXLOG) {
			t = Math.pow(xc, b);
			t *= Math.pow(x, a);
			t /= a;
			t *= w;
			t *= 1.0 / betaFn(a, b);
		} else {
			y += t - lbeta(a, b);
			y += Math.log(w / a);
			t = y < MINLOG_CEPHES ? 0.0 : Math.exp(y);
		}
	}
	if (flag) t = t <= MACHEP ? 1.0 - MACHEP : 1.0 - t;
	return t;
}

const NDTRI_P0 = [-5.99633501014107895267e1, 9.80010754185999661536e1, -5.66762857469070293439e1, 1.39312609387279679503e1, -1.23916583867381258016];
const NDTRI_Q0 = [
	1.95448858338141759834, 4.67627912898881538453, 8.63602421390890590575e1, -2.25462687854119370527e2, 2.00260212380060660359e2, -8.20372256168333339912e1,
	1.59056225126211695515e1, -1.18331621121330003142
];
const NDTRI_P1 = [
	4.05544892305962419923, 3.15251094599893866154e1, 5.71628192246421288162e1, 4.408050738932008347e1, 1.46849561928858024014e1, 2.18663306850790267539,
	-1.40256079171354495875e-1, -3.50424626827848203418e-2, -8.57456785154685413611e-4
];
const NDTRI_Q1 = [
	1.57799883256466749731e1, 4.53907635128879210584e1, 4.1317203825467203044e1, 1.50425385692907503408e1, 2.50464946208309415979, -1.42182922854787788574e-1,
	-3.80806407691578277194e-2, -9.33259480895457427372e-4
];
const NDTRI_P2 = [
	3.2377489177694603597, 6.91522889068984211695, 3.93881025292474443415, 1.33303460815807542389, 2.01485389549179081538e-1, 1.23716634817820021358e-2,
	3.01581553508235416007e-4, 2.65806974686737550832e-6, 6.2397453918498329373e-9
];
const NDTRI_Q2 = [
	6.02427039364742014255, 3.67983563856160859403, 1.37702099489081330271, 2.1623699359449663589e-1, 1.34204006088543189037e-2, 3.28014464682127739104e-4,
	2.89247864745380683936e-6, 6.79019408009981274425e-9
];

/** Standard normal quantile (cephes ndtri = scipy.stats.norm.ppf); ±Infinity at 0 and 1. */
export function ndtri(y0: number): number {
	if (Number.isNaN(y0)) return NaN;
	if (y0 <= 0.0) return y0 === 0 ? -Infinity : NaN;
	if (y0 >= 1.0) return y0 === 1 ? Infinity : NaN;
	let negate = true;
	let y = y0;
	if (y > 1.0 - 0.1353352832366127) {
		y = 1.0 - y;
		negate = false;
	}
	if (y > 0.1353352832366127) {
		y = y - 0.5;
		const y2 = y * y;
		const x = y + y * ((y2 * polevl(y2, NDTRI_P0, 4)) / p1evl(y2, NDTRI_Q0, 8));
		return x * 2.50662827463100050242;
	}
	const x = Math.sqrt(-2.0 * Math.log(y));
	const x0 = x - Math.log(x) / x;
	const z = 1.0 / x;
	const x1 = x < 8.0 ? (z * polevl(z, NDTRI_P1, 8)) / p1evl(z, NDTRI_Q1, 8) : (z * polevl(z, NDTRI_P2, 8)) / p1evl(z, NDTRI_Q2, 8);
	const r = x0 - x1;
	return negate ? -r : r;
}

/** cdflib cumt: [cum, ccum] of the Student t distribution (via the incomplete beta). */
function cumt(t: number, df: number): [number, number] {
	const tt = t * t;
	const dfptt = df + tt;
	const xx = df / dfptt;
	const yy = tt / dfptt;
	let a: number;
	let oma: number;
	if (xx <= 0) {
		a = 0;
		oma = 1;
	} else if (yy <= 0) {
		a = 1;
		oma = 0;
	} else {
		// bratio returns both tails accurately: the small one directly, the other as its complement
		a = incbet(0.5 * df, 0.5, xx, yy);
		if (a <= 0.5) {
			oma = 0.5 + (0.5 - a);
		} else {
			oma = incbet(0.5, 0.5 * df, yy, xx);
			a = 0.5 + (0.5 - oma);
		}
	}
	if (t <= 0) {
		const cum = 0.5 * a;
		return [cum, oma + cum];
	}
	const ccum = 0.5 * a;
	return [oma + ccum, ccum];
}

/** Student t CDF with df > 0 degrees of freedom (scipy.special.stdtr = scipy.stats.t.cdf, SciPy 1.10). */
export function stdtr(df: number, t: number): number {
	if (Number.isNaN(df) || Number.isNaN(t) || !(df > 0)) return NaN;
	if (t === Infinity) return 1;
	if (t === -Infinity) return 0;
	return cumt(t, df)[0];
}

/** Horner with ascending coefficients (cdflib devlpl). */
function devlpl(a: readonly number[], x: number): number {
	let term = a[a.length - 1];
	for (let i = a.length - 2; i >= 0; i--) term = a[i] + term * x;
	return term;
}

/** cdflib dinvnr: normal quantile by Newton from the Kennedy–Gentle start (used by dt1). */
function dinvnr(p: number, q: number): number {
	const qporq = p <= q;
	const pp = qporq ? p : q;
	const z0 = pp <= 0.5 ? pp : 1.0 - pp;
	const y = Math.sqrt(-2.0 * Math.log(z0));
	let strtx =
		y +
		devlpl([-0.322232431088, -1.0, -0.342242088547, -0.204231210245e-1, -0.453642210148e-4], y) /
			devlpl([0.99348462606e-1, 0.588581570495, 0.531103462366, 0.10353775285, 0.38560700634e-2], y);
	strtx = pp <= 0.5 ? -strtx : strtx;
	let xcur = strtx;
	for (let i = 0; i < 100; i++) {
		const dx = (ndtr(xcur) - pp) / (0.3989422804014326 * Math.exp(-0.5 * xcur * xcur));
		xcur -= dx;
		if (Math.abs(dx / xcur) < 1e-13) return qporq ? xcur : -xcur;
	}
	return qporq ? strtx : -strtx;
}

const DT1_COEF = [
	[1.0, 1.0],
	[3.0, 16.0, 5.0],
	[-15.0, 17.0, 19.0, 3.0],
	[-945.0, -1920.0, 1482.0, 776.0, 79.0]
];
const DT1_DENOM = [4.0, 96.0, 384.0, 92160.0];

/** cdflib dt1: starting value for the t quantile. */
function dt1(p: number, q: number, df: number): number {
	const x = Math.abs(dinvnr(p, q));
	const xx = x * x;
	let sum = x;
	let denpow = 1.0;
	for (let i = 0; i < 4; i++) {
		const term = devlpl(DT1_COEF[i], xx) * x;
		denpow *= df;
		sum += term / (denpow * DT1_DENOM[i]);
	}
	return p >= 0.5 ? sum : -sum;
}

/**
 * cdflib dzror: Bus & Dekker's algorithm R for a zero of f bracketed by [xxlo, xxhi], as the
 * reverse-communication Fortran runs it; returns its final `xlo`.
 */
function dzror(f: (x: number) => number, xxlo: number, xxhi: number, abstol: number, reltol: number): number {
	let xlo = xxlo;
	const xhi = xxhi;
	let b = xlo;
	let fb = f(b);
	xlo = xhi;
	let a = xlo;
	let fa = f(a);
	if ((fb < 0 && fa < 0) || (fb > 0 && fa > 0)) return xlo;
	let first = true;
	let c: number;
	let fc: number;
	let d = 0;
	let fd = 0;
	let ext: number;
	let q: number;
	for (;;) {
		c = a;
		fc = fa;
		ext = 0;
		for (;;) {
			if (Math.abs(fc) < Math.abs(fb)) {
				if (c !== a) {
					d = a;
					fd = fa;
				}
				a = b;
				fa = fb;
				xlo = c;
				b = xlo;
				fb = fc;
				c = a;
				fc = fa;
			}
			let tol = 0.5 * Math.max(abstol, reltol * Math.abs(xlo));
			const m = (c + b) * 0.5;
			const mb = m - b;
			if (!(Math.abs(mb) > tol)) return xlo;
			let w: number;
			if (ext > 3) {
				w = mb;
			} else {
				tol = mb < 0 ? -Math.abs(tol) : Math.abs(tol);
				let p = (b - a) * fb;
				if (first) {
					q = fa - fb;
					first = false;
				} else {
					const fdb = (fd - fb) / (d - b);
					const fda = (fd - fa) / (d - a);
					p = fda * p;
					q = fdb * fa - fda * fb;
				}
				if (p < 0.0) {
					p = -p;
					q = -q;
				}
				if (ext === 3) p *= 2.0;
				if (p * 1.0 === 0.0 || p <= q * tol) w = tol;
				else if (p < mb * q) w = p / q;
				else w = mb;
			}
			d = a;
			fd = fa;
			a = b;
			fa = fb;
			b = b + w;
			xlo = b;
			fb = f(xlo);
			if (fc * fb >= 0.0) break; // back to label 70: c = a
			ext = w === mb ? 0 : ext + 1;
		}
	}
}

/**
 * cdflib dinvr (with dstinv's settings): steps out from `start` until the zero of the monotone f is
 * bracketed, then runs dzror. Returns NaN when [small, big] does not bracket it.
 */
function dinvr(
	f: (x: number) => number,
	start: number,
	small: number,
	big: number,
	absstp: number,
	relstp: number,
	stpmul: number,
	abstol: number,
	reltol: number
): number {
	const fsmall = f(small);
	const fbig = f(big);
	const qincr = fbig > fsmall;
	if (qincr ? fsmall > 0 || fbig < 0 : fsmall < 0 || fbig > 0) return NaN;
	let step = Math.max(absstp, relstp * Math.abs(start));
	let yy = f(start);
	if (yy === 0) return start;
	const qup = (qincr && yy < 0) || (!qincr && yy > 0);
	let xlb: number;
	let xub: number;
	if (qup) {
		xlb = start;
		xub = Math.min(xlb + step, big);
		for (;;) {
			yy = f(xub);
			const qbdd = (qincr && yy >= 0) || (!qincr && yy <= 0);
			const qlim = xub >= big;
			if (qbdd || qlim) {
				if (qlim && !qbdd) return NaN;
				break;
			}
			step *= stpmul;
			xlb = xub;
			xub = Math.min(xlb + step, big);
		}
	} else {
		xub = start;
		xlb = Math.max(xub - step, small);
		for (;;) {
			yy = f(xlb);
			const qbdd = (qincr && yy <= 0) || (!qincr && yy >= 0);
			const qlim = xlb <= small;
			if (qbdd || qlim) {
				if (qlim && !qbdd) return NaN;
				break;
			}
			step *= stpmul;
			xub = xlb;
			xlb = Math.max(xub - step, small);
		}
	}
	return dzror(f, xlb, xub, abstol, reltol);
}

/**
 * Student t quantile (scipy.special.stdtrit = scipy.stats.t.ppf in SciPy 1.10): cdflib cdft's search,
 * a bracketing zero finder with relative tolerance 1e-8 on t. It reproduces SciPy's value, which
 * itself may be ~1e-9 (relative) from the exact quantile.
 */
export function stdtrit(df: number, p: number): number {
	if (Number.isNaN(df) || Number.isNaN(p) || !(df > 0) || p < 0 || p > 1) return NaN;
	if (p === 0) return -Infinity;
	if (p === 1) return Infinity;
	const q = 1.0 - p;
	const qporq = p <= q;
	const f = (t: number): number => {
		const [cum, ccum] = cumt(t, df);
		return qporq ? cum - p : ccum - q;
	};
	return dinvr(f, dt1(p, q, df), -1e100, 1e100, 0.5, 0.5, 5.0, 1e-50, 1e-8);
}

/** Binomial CDF P(X <= k), X ~ Bin(n, p) (cephes bdtr; scipy.stats.binom.cdf). */
export function bdtr(k: number, n: number, p: number): number {
	if (Number.isNaN(k) || Number.isNaN(n) || Number.isNaN(p) || p < 0 || p > 1 || n < 0) return NaN;
	if (k < 0) return 0;
	const kk = Math.floor(k);
	if (kk >= n) return 1.0;
	const dn = n - kk;
	if (kk === 0) return Math.pow(1.0 - p, dn);
	return incbet(dn, kk + 1, 1.0 - p);
}
