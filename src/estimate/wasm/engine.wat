;; The engine's hot loops in WebAssembly: the same algorithms, the same IEEE 754 operations in the same
;; order as the JavaScript reference implementations (dist/normal.ts, dist/rng.ts, dist/fastexp.ts,
;; analysis/moments.ts, analysis/stream-summary.ts), so a seed gives bit-identical samples and summaries
;; either way (test/estimate/wasm.test.ts checks this). WebAssembly runs at full speed from the first
;; call: no interpreter warm-up, no deoptimisation, no boxed doubles, which is most of what a short
;; command-line run spends in JavaScript.
;;
;; All pointers are byte offsets into the one memory, which the JavaScript side (wasm/arena.ts) owns and
;; lays out; the fixed region below holds the tables, filled from the JavaScript reference's own tables.
(module
  (import "env" "memory" (memory 1))
  (import "env" "exp" (func $mathExp (param f64) (result f64)))
  (import "env" "log" (func $mathLog (param f64) (result f64)))

  ;; Fixed region (byte offsets), mirrored in LAYOUT of wasm/arena.ts:
  ;;     0  ziggurat slow-path queue: sample indices, i32[4096]
  ;; 16384  ziggurat slow-path queue: the 32 random bits of each, i32[4096]
  ;; 32768  ziggurat kn as i32[128] (integers below 2^24, so the comparison is exact either way)
  ;; 33280  ziggurat wn, f64[128]
  ;; 34304  xoshiro128** state, i32[4]
  ;; 34320  results: f64[6] (moments: sum, m2; stream pass: min, max, non-finite count; compact: below)
  ;; 36864  exp table 2^(j/2048), f64[2048]
  ;; 53248  2^(i - 1075), f64[2100]

  ;; Ziggurat fast path over out[start, end) (Marsaglia & Tsang, layer index and value from disjoint
  ;; bits as in Doornik 2005): writes mean + sd * x where the draw is inside its layer's rectangle and
  ;; queues the others (index and bits) for the JavaScript slow path. Returns how many were queued.
  (func $normalFast (param $out i32) (param $start i32) (param $end i32) (param $mean f64) (param $sd f64) (result i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $r i32) (local $t i32)
    (local $i i32) (local $iz i32) (local $hz i32) (local $pending i32)
    (local.set $s0 (i32.load offset=34304 (i32.const 0)))
    (local.set $s1 (i32.load offset=34308 (i32.const 0)))
    (local.set $s2 (i32.load offset=34312 (i32.const 0)))
    (local.set $s3 (i32.load offset=34316 (i32.const 0)))
    (local.set $i (local.get $start))
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (local.get $end)))
      (loop $next
        ;; xoshiro128**: r = rotl(s1 * 5, 7) * 9, then the state update
        (local.set $r (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (local.set $iz (i32.and (local.get $r) (i32.const 127)))
        (local.set $hz (i32.shr_s (local.get $r) (i32.const 7)))
        (if (i32.lt_s
              (select (i32.sub (i32.const 0) (local.get $hz)) (local.get $hz) (i32.lt_s (local.get $hz) (i32.const 0)))
              (i32.load offset=32768 (i32.shl (local.get $iz) (i32.const 2))))
          (then
            (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
              (f64.add (local.get $mean)
                (f64.mul (local.get $sd)
                  (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=33280 (i32.shl (local.get $iz) (i32.const 3))))))))
          (else
            (i32.store offset=0 (i32.shl (local.get $pending) (i32.const 2)) (local.get $i))
            (i32.store offset=16384 (i32.shl (local.get $pending) (i32.const 2)) (local.get $r))
            (local.set $pending (i32.add (local.get $pending) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_s (local.get $i) (local.get $end)))))
    (i32.store offset=34304 (i32.const 0) (local.get $s0))
    (i32.store offset=34308 (i32.const 0) (local.get $s1))
    (i32.store offset=34312 (i32.const 0) (local.get $s2))
    (i32.store offset=34316 (i32.const 0) (local.get $s3))
    (local.get $pending))

  ;; The next 32 random bits, advancing the state in memory (the slow path's generator). The fill loops
  ;; write the same step out with the state in locals: V8 does not inline calls between wasm functions.
  (func $next32 (result i32)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $r i32) (local $t i32)
    (local.set $s0 (i32.load offset=34304 (i32.const 0)))
    (local.set $s1 (i32.load offset=34308 (i32.const 0)))
    (local.set $s2 (i32.load offset=34312 (i32.const 0)))
    (local.set $s3 (i32.load offset=34316 (i32.const 0)))
    (local.set $r (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
    (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
    (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
    (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
    (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
    (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
    (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
    (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
    (i32.store offset=34304 (i32.const 0) (local.get $s0))
    (i32.store offset=34308 (i32.const 0) (local.get $s1))
    (i32.store offset=34312 (i32.const 0) (local.get $s2))
    (i32.store offset=34316 (i32.const 0) (local.get $s3))
    (local.get $r))

  ;; Uniform on (0, 1): (k + 0.5) / 2^32, as Rng.uniform.
  (func $uniform (result f64)
    (f64.mul (f64.add (f64.convert_i32_u (call $next32)) (f64.const 0.5)) (f64.const 2.3283064365386963e-10)))

  ;; The ziggurat's slow path, as normal.ts's slow(): wedges, and the tail beyond R (Marsaglia 1964).
  (func $slow (param $hz i32) (param $iz i32) (result f64)
    (local $x f64) (local $t f64) (local $y f64) (local $r i32)
    (loop $retry
      (local.set $x (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=33280 (i32.shl (local.get $iz) (i32.const 3)))))
      (if (i32.eqz (local.get $iz))
        (then
          (loop $tail
            (local.set $t (f64.div (f64.neg (call $mathLog (call $uniform))) (f64.const {{R}})))
            (local.set $y (f64.neg (call $mathLog (call $uniform))))
            (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $t) (local.get $t)))))
          (return (select
            (f64.add (f64.const {{R}}) (local.get $t))
            (f64.sub (f64.const -{{R}}) (local.get $t))
            (i32.gt_s (local.get $hz) (i32.const 0))))))
      ;; fn[iz] + u * (fn[iz - 1] - fn[iz]) < exp(-0.5 * x * x)
      (if (f64.lt
            (f64.add (f64.load offset=35840 (i32.shl (local.get $iz) (i32.const 3)))
              (f64.mul (call $uniform)
                (f64.sub (f64.load offset=35832 (i32.shl (local.get $iz) (i32.const 3))) (f64.load offset=35840 (i32.shl (local.get $iz) (i32.const 3))))))
            (call $exp1 (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x))))
        (then (return (local.get $x))))
      (local.set $r (call $next32))
      (local.set $iz (i32.and (local.get $r) (i32.const 127)))
      (local.set $hz (i32.shr_s (local.get $r) (i32.const 7)))
      (if (i32.lt_s
            (select (i32.sub (i32.const 0) (local.get $hz)) (local.get $hz) (i32.lt_s (local.get $hz) (i32.const 0)))
            (i32.load offset=32768 (i32.shl (local.get $iz) (i32.const 2))))
        (then (return (f64.mul (f64.convert_i32_s (local.get $hz)) (f64.load offset=33280 (i32.shl (local.get $iz) (i32.const 3)))))))
      (br $retry))
    (unreachable))

  ;; out[from, to) = mean + sd * N(0, 1), or exp of it, exactly as normal.ts's fillNormal: blocks of
  ;; 4,096 draws, each the fast path, then its queued slow-path draws in order, then exp.
  (func (export "normalFill") (param $out i32) (param $from i32) (param $to i32) (param $mean f64) (param $sd f64) (param $logNormal i32)
    (local $start i32) (local $end i32) (local $pending i32) (local $q i32) (local $r i32)
    (local.set $start (local.get $from))
    (block $done
      (loop $block
        (br_if $done (i32.ge_s (local.get $start) (local.get $to)))
        (local.set $end (select (local.get $to) (i32.add (local.get $start) (i32.const 4096))
          (i32.lt_s (local.get $to) (i32.add (local.get $start) (i32.const 4096)))))
        (local.set $pending (call $normalFast (local.get $out) (local.get $start) (local.get $end) (local.get $mean) (local.get $sd)))
        (local.set $q (i32.const 0))
        (block $slowDone
          (loop $slowNext
            (br_if $slowDone (i32.ge_s (local.get $q) (local.get $pending)))
            (local.set $r (i32.load offset=16384 (i32.shl (local.get $q) (i32.const 2))))
            (f64.store
              (i32.add (local.get $out) (i32.shl (i32.load offset=0 (i32.shl (local.get $q) (i32.const 2))) (i32.const 3)))
              (f64.add (local.get $mean) (f64.mul (local.get $sd)
                (call $slow (i32.shr_s (local.get $r) (i32.const 7)) (i32.and (local.get $r) (i32.const 127))))))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $slowNext)))
        (if (local.get $logNormal) (then (call $expInPlace (local.get $out) (local.get $start) (local.get $end))))
        (local.set $start (local.get $end))
        (br $block))))

  ;; a[i] = base + u32 * scale over [from, to): uniforms, as fillUniform.
  (func (export "uniformFill") (param $out i32) (param $from i32) (param $to i32) (param $base f64) (param $scale f64)
    (local $s0 i32) (local $s1 i32) (local $s2 i32) (local $s3 i32) (local $r i32) (local $t i32) (local $i i32)
    (local.set $s0 (i32.load offset=34304 (i32.const 0)))
    (local.set $s1 (i32.load offset=34308 (i32.const 0)))
    (local.set $s2 (i32.load offset=34312 (i32.const 0)))
    (local.set $s3 (i32.load offset=34316 (i32.const 0)))
    (local.set $i (local.get $from))
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (local.get $to)))
      (loop $next
        (local.set $r (i32.mul (i32.rotl (i32.mul (local.get $s1) (i32.const 5)) (i32.const 7)) (i32.const 9)))
        (local.set $t (i32.shl (local.get $s1) (i32.const 9)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $s0)))
        (local.set $s3 (i32.xor (local.get $s3) (local.get $s1)))
        (local.set $s1 (i32.xor (local.get $s1) (local.get $s2)))
        (local.set $s0 (i32.xor (local.get $s0) (local.get $s3)))
        (local.set $s2 (i32.xor (local.get $s2) (local.get $t)))
        (local.set $s3 (i32.rotl (local.get $s3) (i32.const 11)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (f64.add (local.get $base) (f64.mul (f64.convert_i32_u (local.get $r)) (local.get $scale))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_s (local.get $i) (local.get $to)))))
    (i32.store offset=34304 (i32.const 0) (local.get $s0))
    (i32.store offset=34308 (i32.const 0) (local.get $s1))
    (i32.store offset=34312 (i32.const 0) (local.get $s2))
    (i32.store offset=34316 (i32.const 0) (local.get $s3)))

  ;; exp(x), Tang's method exactly as fastexp.ts (constants printed from it).
  (func $exp1 (param $x f64) (result f64)
    (local $k f64) (local $r f64) (local $ki i32) (local $poly f64)
    (if (i32.eqz (i32.and (f64.gt (local.get $x) (f64.const -708)) (f64.lt (local.get $x) (f64.const 709))))
      (then (return (call $mathExp (local.get $x)))))
    (local.set $k (f64.sub (f64.add (f64.mul (local.get $x) (f64.const {{INV_STEP}})) (f64.const {{SHIFTER}})) (f64.const {{SHIFTER}})))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $k) (f64.const {{STEP_HI}}))) (f64.mul (local.get $k) (f64.const {{STEP_LO}}))))
    (local.set $ki (i32.trunc_f64_s (local.get $k)))
    ;; 1 + r(1 + r(1/2 + r(1/6 + r(1/24 + r/120))))
    (local.set $poly (f64.mul (local.get $r) (f64.const {{C5}})))
    (local.set $poly (f64.mul (local.get $r) (f64.add (f64.const {{C4}}) (local.get $poly))))
    (local.set $poly (f64.mul (local.get $r) (f64.add (f64.const {{C3}}) (local.get $poly))))
    (local.set $poly (f64.mul (local.get $r) (f64.add (f64.const 0.5) (local.get $poly))))
    (local.set $poly (f64.mul (local.get $r) (f64.add (f64.const 1) (local.get $poly))))
    (local.set $poly (f64.add (f64.const 1) (local.get $poly)))
    (f64.mul
      (f64.mul (f64.load offset=36864 (i32.shl (i32.and (local.get $ki) (i32.const 2047)) (i32.const 3))) (local.get $poly))
      (f64.load offset=53248 (i32.shl (i32.add (i32.shr_s (local.get $ki) (i32.const 11)) (i32.const 1075)) (i32.const 3)))))

  ;; a[i] = exp(a[i]) over [start, end): $exp1 two lanes at a time (f64x2; every lane operation is the
  ;; scalar one, so the results are the same bits). A pair with a lane outside (−708, 709) takes $exp1.
  (func $expInPlace (export "expInPlace") (param $a i32) (param $start i32) (param $end i32)
    (local $p i32) (local $stop i32) (local $x v128) (local $k v128) (local $r v128) (local $ki v128) (local $poly v128)
    (local $k0 i32) (local $k1 i32)
    (local.set $p (i32.add (local.get $a) (i32.shl (local.get $start) (i32.const 3))))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $end) (i32.const 3))))
    (block $pairsDone
      (loop $pair
        (br_if $pairsDone (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $stop)))
        (local.set $x (v128.load (local.get $p)))
        (if (i32.eqz (i64x2.all_true (v128.and
              (f64x2.gt (local.get $x) (f64x2.splat (f64.const -708)))
              (f64x2.lt (local.get $x) (f64x2.splat (f64.const 709))))))
          (then
            (f64.store (local.get $p) (call $exp1 (f64.load (local.get $p))))
            (f64.store offset=8 (local.get $p) (call $exp1 (f64.load offset=8 (local.get $p)))))
          (else
            (local.set $k (f64x2.sub (f64x2.add (f64x2.mul (local.get $x) (f64x2.splat (f64.const {{INV_STEP}}))) (f64x2.splat (f64.const {{SHIFTER}}))) (f64x2.splat (f64.const {{SHIFTER}}))))
            (local.set $r (f64x2.sub (f64x2.sub (local.get $x) (f64x2.mul (local.get $k) (f64x2.splat (f64.const {{STEP_HI}})))) (f64x2.mul (local.get $k) (f64x2.splat (f64.const {{STEP_LO}})))))
            (local.set $ki (i32x4.trunc_sat_f64x2_s_zero (local.get $k)))
            (local.set $k0 (i32x4.extract_lane 0 (local.get $ki)))
            (local.set $k1 (i32x4.extract_lane 1 (local.get $ki)))
            (local.set $poly (f64x2.mul (local.get $r) (f64x2.splat (f64.const {{C5}}))))
            (local.set $poly (f64x2.mul (local.get $r) (f64x2.add (f64x2.splat (f64.const {{C4}})) (local.get $poly))))
            (local.set $poly (f64x2.mul (local.get $r) (f64x2.add (f64x2.splat (f64.const {{C3}})) (local.get $poly))))
            (local.set $poly (f64x2.mul (local.get $r) (f64x2.add (f64x2.splat (f64.const 0.5)) (local.get $poly))))
            (local.set $poly (f64x2.mul (local.get $r) (f64x2.add (f64x2.splat (f64.const 1)) (local.get $poly))))
            (local.set $poly (f64x2.add (f64x2.splat (f64.const 1)) (local.get $poly)))
            (v128.store (local.get $p)
              (f64x2.mul
                (f64x2.mul
                  (f64x2.replace_lane 1
                    (f64x2.splat (f64.load offset=36864 (i32.shl (i32.and (local.get $k0) (i32.const 2047)) (i32.const 3))))
                    (f64.load offset=36864 (i32.shl (i32.and (local.get $k1) (i32.const 2047)) (i32.const 3))))
                  (local.get $poly))
                (f64x2.replace_lane 1
                  (f64x2.splat (f64.load offset=53248 (i32.shl (i32.add (i32.shr_s (local.get $k0) (i32.const 11)) (i32.const 1075)) (i32.const 3))))
                  (f64.load offset=53248 (i32.shl (i32.add (i32.shr_s (local.get $k1) (i32.const 11)) (i32.const 1075)) (i32.const 3))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $pair)))
    (if (i32.lt_u (local.get $p) (local.get $stop))
      (then (f64.store (local.get $p) (call $exp1 (f64.load (local.get $p)))))))

  ;; Σa and Σ(a − mean)² over [from, to), each in four lanes as moments.ts's blockStats sums them
  ;; (lane j adds elements j, j + 4, … in order; the end is (lane 0 + lane 1) + (lane 2 + lane 3)), two
  ;; lanes per f64x2 instruction; the results go to the results slot (34320: sum, 34328: m2).
  (func (export "blockMoments") (param $a i32) (param $from i32) (param $to i32)
    (local $s f64)
    (local.set $s (call $laneSum (local.get $a) (local.get $from) (local.get $to)))
    (f64.store offset=34320 (i32.const 0) (local.get $s))
    (f64.store offset=34328 (i32.const 0) (call $laneSquares (local.get $a) (local.get $from) (local.get $to)
      (f64.div (local.get $s) (f64.convert_i32_s (i32.sub (local.get $to) (local.get $from)))))))

  (func $laneSum (param $a i32) (param $from i32) (param $to i32) (result f64)
    (local $p i32) (local $stop i32) (local $lo v128) (local $hi v128) (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local.set $p (i32.add (local.get $a) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $to) (i32.const 3))))
    (block $done
      (loop $quad
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $stop)))
        (local.set $lo (f64x2.add (local.get $lo) (v128.load (local.get $p))))
        (local.set $hi (f64x2.add (local.get $hi) (v128.load offset=16 (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $quad)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
    (local.set $s1 (f64x2.extract_lane 1 (local.get $lo)))
    (local.set $s2 (f64x2.extract_lane 0 (local.get $hi)))
    (local.set $s3 (f64x2.extract_lane 1 (local.get $hi)))
    (if (i32.lt_u (local.get $p) (local.get $stop)) (then
      (local.set $s0 (f64.add (local.get $s0) (f64.load (local.get $p))))
      (if (i32.lt_u (i32.add (local.get $p) (i32.const 8)) (local.get $stop)) (then
        (local.set $s1 (f64.add (local.get $s1) (f64.load offset=8 (local.get $p))))
        (if (i32.lt_u (i32.add (local.get $p) (i32.const 16)) (local.get $stop)) (then
          (local.set $s2 (f64.add (local.get $s2) (f64.load offset=16 (local.get $p))))))))))
    (f64.add (f64.add (local.get $s0) (local.get $s1)) (f64.add (local.get $s2) (local.get $s3))))

  (func $laneSquares (param $a i32) (param $from i32) (param $to i32) (param $mean f64) (result f64)
    (local $p i32) (local $stop i32) (local $lo v128) (local $hi v128) (local $m v128) (local $d v128)
    (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64) (local $x f64)
    (local.set $m (f64x2.splat (local.get $mean)))
    (local.set $p (i32.add (local.get $a) (i32.shl (local.get $from) (i32.const 3))))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $to) (i32.const 3))))
    (block $done
      (loop $quad
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $stop)))
        (local.set $d (f64x2.sub (v128.load (local.get $p)) (local.get $m)))
        (local.set $lo (f64x2.add (local.get $lo) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $d (f64x2.sub (v128.load offset=16 (local.get $p)) (local.get $m)))
        (local.set $hi (f64x2.add (local.get $hi) (f64x2.mul (local.get $d) (local.get $d))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $quad)))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $lo)))
    (local.set $s1 (f64x2.extract_lane 1 (local.get $lo)))
    (local.set $s2 (f64x2.extract_lane 0 (local.get $hi)))
    (local.set $s3 (f64x2.extract_lane 1 (local.get $hi)))
    (if (i32.lt_u (local.get $p) (local.get $stop)) (then
      (local.set $x (f64.sub (f64.load (local.get $p)) (local.get $mean)))
      (local.set $s0 (f64.add (local.get $s0) (f64.mul (local.get $x) (local.get $x))))
      (if (i32.lt_u (i32.add (local.get $p) (i32.const 8)) (local.get $stop)) (then
        (local.set $x (f64.sub (f64.load offset=8 (local.get $p)) (local.get $mean)))
        (local.set $s1 (f64.add (local.get $s1) (f64.mul (local.get $x) (local.get $x))))
        (if (i32.lt_u (i32.add (local.get $p) (i32.const 16)) (local.get $stop)) (then
          (local.set $x (f64.sub (f64.load offset=16 (local.get $p)) (local.get $mean)))
          (local.set $s2 (f64.add (local.get $s2) (f64.mul (local.get $x) (local.get $x))))))))))
    (f64.add (f64.add (local.get $s0) (local.get $s1)) (f64.add (local.get $s2) (local.get $s3))))

  ;; One streamed chunk for StreamingSummary: the chunk's block moments, min, max and NaN/∞ count, and
  ;; the counts and kept samples of its kept intervals. The kept intervals [lo_k, hi_k] (k < 5,
  ;; ascending, disjoint; unused ones are [+inf, NaN]) come in `table`: lo_0..lo_4 at 0..32, then hi by
  ;; slot at 40..80 (slot 0 is NaN, slot k + 1 is hi_k). The slot of x is 5 − Σ[x < lo_k]: slot k + 1
  ;; means lo_k <= x, and x is kept when x <= hi in that slot (never in slot 0).
  ;; Pass one takes four samples a step, two per f64x2 instruction, free of branches (where a sample
  ;; falls is random, so branches would mispredict): the four-lane sum of blockStats, lane minima and
  ;; maxima, below[k] += [x < lo_k], and every sample written to `stage`, whose cursor advances only
  ;; for kept ones. Then the chunk's min and max (equal values have the same bits, but for −0 and 0,
  ;; and summaries report a zero as 0), the NaN/∞ count (zero when the lane sums add up to a finite
  ;; number, since a NaN or ∞ leaves its lane's sum NaN or ∞; else counted), and Σ(x − mean)². Pass two appends the few
  ;; staged samples to their intervals, whose descriptors at desc + 16·slot are {ptr, fill, cap}.
  ;; Results: 34320 sum, 34328 m2; 34336, 34344, 34352 min, max and NaN/∞ count, read and updated.
  ;; Returns 0, or 1 if a buffer was full (the sample is dropped; the caller then recomputes from
  ;; stored samples).
  (func (export "streamPass") (param $a i32) (param $n i32) (param $table i32) (param $below i32) (param $desc i32) (param $stage i32) (result i32)
    (local $p i32) (local $stop i32) (local $slot i32) (local $d i32) (local $fill i32) (local $staged i32) (local $full i32)
    (local $x f64) (local $mn f64) (local $mx f64) (local $s f64) (local $s0 f64) (local $s1 f64) (local $s2 f64) (local $s3 f64)
    (local $v v128) (local $sumLo v128) (local $sumHi v128) (local $mnv v128) (local $mxv v128) (local $l v128) (local $t v128)
    (local $lo0 v128) (local $lo1 v128) (local $lo2 v128) (local $lo3 v128) (local $lo4 v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128) (local $c4 v128)
    (local.set $lo0 (f64x2.splat (f64.load offset=0 (local.get $table))))
    (local.set $lo1 (f64x2.splat (f64.load offset=8 (local.get $table))))
    (local.set $lo2 (f64x2.splat (f64.load offset=16 (local.get $table))))
    (local.set $lo3 (f64x2.splat (f64.load offset=24 (local.get $table))))
    (local.set $lo4 (f64x2.splat (f64.load offset=32 (local.get $table))))
    (local.set $mnv (f64x2.splat (f64.const inf)))
    (local.set $mxv (f64x2.splat (f64.const -inf)))
    (local.set $p (local.get $a))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (local.set $staged (local.get $stage))
    (block $quadsDone
      (loop $quad
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $stop)))
        ;; samples 0 and 1 of the step
        (local.set $v (v128.load (local.get $p)))
        (local.set $sumLo (f64x2.add (local.get $sumLo) (local.get $v)))
        (local.set $mnv (f64x2.pmin (local.get $mnv) (local.get $v)))
        (local.set $mxv (f64x2.pmax (local.get $mxv) (local.get $v)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo0)))
        (local.set $c0 (i64x2.sub (local.get $c0) (local.get $t)))
        (local.set $l (local.get $t))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo1)))
        (local.set $c1 (i64x2.sub (local.get $c1) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo2)))
        (local.set $c2 (i64x2.sub (local.get $c2) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo3)))
        (local.set $c3 (i64x2.sub (local.get $c3) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo4)))
        (local.set $c4 (i64x2.sub (local.get $c4) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        ;; l = −Σ[x < lo_k], so hi of the slot 5 + l is at table + 80 + 8·l
        (local.set $x (f64x2.extract_lane 0 (local.get $v)))
        (f64.store (local.get $staged) (local.get $x))
        (local.set $staged (i32.add (local.get $staged) (i32.shl
          (f64.le (local.get $x) (f64.load offset=80 (i32.add (local.get $table) (i32.shl (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $l))) (i32.const 3)))))
          (i32.const 3))))
        (local.set $x (f64x2.extract_lane 1 (local.get $v)))
        (f64.store (local.get $staged) (local.get $x))
        (local.set $staged (i32.add (local.get $staged) (i32.shl
          (f64.le (local.get $x) (f64.load offset=80 (i32.add (local.get $table) (i32.shl (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $l))) (i32.const 3)))))
          (i32.const 3))))
        ;; samples 2 and 3
        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $sumHi (f64x2.add (local.get $sumHi) (local.get $v)))
        (local.set $mnv (f64x2.pmin (local.get $mnv) (local.get $v)))
        (local.set $mxv (f64x2.pmax (local.get $mxv) (local.get $v)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo0)))
        (local.set $c0 (i64x2.sub (local.get $c0) (local.get $t)))
        (local.set $l (local.get $t))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo1)))
        (local.set $c1 (i64x2.sub (local.get $c1) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo2)))
        (local.set $c2 (i64x2.sub (local.get $c2) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo3)))
        (local.set $c3 (i64x2.sub (local.get $c3) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $t (f64x2.lt (local.get $v) (local.get $lo4)))
        (local.set $c4 (i64x2.sub (local.get $c4) (local.get $t)))
        (local.set $l (i64x2.add (local.get $l) (local.get $t)))
        (local.set $x (f64x2.extract_lane 0 (local.get $v)))
        (f64.store (local.get $staged) (local.get $x))
        (local.set $staged (i32.add (local.get $staged) (i32.shl
          (f64.le (local.get $x) (f64.load offset=80 (i32.add (local.get $table) (i32.shl (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $l))) (i32.const 3)))))
          (i32.const 3))))
        (local.set $x (f64x2.extract_lane 1 (local.get $v)))
        (f64.store (local.get $staged) (local.get $x))
        (local.set $staged (i32.add (local.get $staged) (i32.shl
          (f64.le (local.get $x) (f64.load offset=80 (i32.add (local.get $table) (i32.shl (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $l))) (i32.const 3)))))
          (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $quad)))
    ;; the lanes' counts to below[k]
    (f64.store offset=0 (local.get $below) (f64.add (f64.load offset=0 (local.get $below)) (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $c0)) (i64x2.extract_lane 1 (local.get $c0))))))
    (f64.store offset=8 (local.get $below) (f64.add (f64.load offset=8 (local.get $below)) (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $c1)) (i64x2.extract_lane 1 (local.get $c1))))))
    (f64.store offset=16 (local.get $below) (f64.add (f64.load offset=16 (local.get $below)) (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $c2)) (i64x2.extract_lane 1 (local.get $c2))))))
    (f64.store offset=24 (local.get $below) (f64.add (f64.load offset=24 (local.get $below)) (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $c3)) (i64x2.extract_lane 1 (local.get $c3))))))
    (f64.store offset=32 (local.get $below) (f64.add (f64.load offset=32 (local.get $below)) (f64.convert_i64_u (i64.add (i64x2.extract_lane 0 (local.get $c4)) (i64x2.extract_lane 1 (local.get $c4))))))
    ;; lane minima and maxima: lane 0 saw samples 0, 2, 4, … and lane 1 samples 1, 3, 5, … in order
    (local.set $mn (f64x2.extract_lane 0 (local.get $mnv)))
    (local.set $x (f64x2.extract_lane 1 (local.get $mnv)))
    (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
    (local.set $mx (f64x2.extract_lane 0 (local.get $mxv)))
    (local.set $x (f64x2.extract_lane 1 (local.get $mxv)))
    (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))
    (local.set $s0 (f64x2.extract_lane 0 (local.get $sumLo)))
    (local.set $s1 (f64x2.extract_lane 1 (local.get $sumLo)))
    (local.set $s2 (f64x2.extract_lane 0 (local.get $sumHi)))
    (local.set $s3 (f64x2.extract_lane 1 (local.get $sumHi)))
    ;; the last n mod 4 samples, one at a time, to sum lanes 0, 1, 2
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $stop)))
        (local.set $x (f64.load (local.get $p)))
        (local.set $slot (i32.shr_u (i32.and (i32.sub (local.get $p) (local.get $a)) (i32.const 31)) (i32.const 3)))
        (if (i32.eqz (local.get $slot)) (then (local.set $s0 (f64.add (local.get $s0) (local.get $x)))))
        (if (i32.eq (local.get $slot) (i32.const 1)) (then (local.set $s1 (f64.add (local.get $s1) (local.get $x)))))
        (if (i32.eq (local.get $slot) (i32.const 2)) (then (local.set $s2 (f64.add (local.get $s2) (local.get $x)))))
        (local.set $mn (select (local.get $x) (local.get $mn) (f64.lt (local.get $x) (local.get $mn))))
        (local.set $mx (select (local.get $x) (local.get $mx) (f64.gt (local.get $x) (local.get $mx))))
        (local.set $slot (i32.sub (i32.const 5) (i32.add (i32.add (i32.add
          (f64.lt (local.get $x) (f64.load offset=0 (local.get $table))) (f64.lt (local.get $x) (f64.load offset=8 (local.get $table))))
          (i32.add (f64.lt (local.get $x) (f64.load offset=16 (local.get $table))) (f64.lt (local.get $x) (f64.load offset=24 (local.get $table)))))
          (f64.lt (local.get $x) (f64.load offset=32 (local.get $table))))))
        (local.set $d (i32.const 0))
        (block $counted
          (loop $count
            (br_if $counted (i32.ge_u (local.get $d) (i32.const 40)))
            (if (f64.lt (local.get $x) (f64.load (i32.add (local.get $table) (local.get $d))))
              (then (f64.store (i32.add (local.get $below) (local.get $d)) (f64.add (f64.load (i32.add (local.get $below) (local.get $d))) (f64.const 1)))))
            (local.set $d (i32.add (local.get $d) (i32.const 8)))
            (br $count)))
        (f64.store (local.get $staged) (local.get $x))
        (local.set $staged (i32.add (local.get $staged) (i32.shl
          (f64.le (local.get $x) (f64.load offset=40 (i32.add (local.get $table) (i32.shl (local.get $slot) (i32.const 3)))))
          (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $tail)))
    (local.set $x (f64.load offset=34336 (i32.const 0)))
    (f64.store offset=34336 (i32.const 0) (select (local.get $mn) (local.get $x) (f64.lt (local.get $mn) (local.get $x))))
    (local.set $x (f64.load offset=34344 (i32.const 0)))
    (f64.store offset=34344 (i32.const 0) (select (local.get $mx) (local.get $x) (f64.gt (local.get $mx) (local.get $x))))
    ;; x − x is 0 for finite x: a NaN or ∞ anywhere leaves its lane's sum non-finite
    (if (f64.ne (f64.sub (f64.add (f64.add (local.get $s0) (local.get $s1)) (f64.add (local.get $s2) (local.get $s3)))
                         (f64.add (f64.add (local.get $s0) (local.get $s1)) (f64.add (local.get $s2) (local.get $s3)))) (f64.const 0))
      (then (f64.store offset=34352 (i32.const 0) (f64.add (f64.load offset=34352 (i32.const 0))
        (f64.convert_i32_u (call $countNonFinite (local.get $a) (local.get $n)))))))
    (local.set $s (f64.add (f64.add (local.get $s0) (local.get $s1)) (f64.add (local.get $s2) (local.get $s3))))
    (f64.store offset=34320 (i32.const 0) (local.get $s))
    (f64.store offset=34328 (i32.const 0) (call $laneSquares (local.get $a) (i32.const 0) (local.get $n)
      (f64.div (local.get $s) (f64.convert_i32_s (local.get $n)))))
    ;; pass two: the staged (kept) samples to their intervals, in order
    (local.set $p (local.get $stage))
    (block $distributed
      (loop $each
        (br_if $distributed (i32.ge_u (local.get $p) (local.get $staged)))
        (local.set $x (f64.load (local.get $p)))
        (local.set $slot (i32.sub (i32.const 5) (i32.add (i32.add (i32.add
          (f64.lt (local.get $x) (f64.load offset=0 (local.get $table))) (f64.lt (local.get $x) (f64.load offset=8 (local.get $table))))
          (i32.add (f64.lt (local.get $x) (f64.load offset=16 (local.get $table))) (f64.lt (local.get $x) (f64.load offset=24 (local.get $table)))))
          (f64.lt (local.get $x) (f64.load offset=32 (local.get $table))))))
        (local.set $d (i32.add (local.get $desc) (i32.shl (local.get $slot) (i32.const 4))))
        (local.set $fill (i32.load offset=4 (local.get $d)))
        (if (i32.lt_u (local.get $fill) (i32.load offset=8 (local.get $d)))
          (then
            (f64.store (i32.add (i32.load (local.get $d)) (i32.shl (local.get $fill) (i32.const 3))) (local.get $x))
            (i32.store offset=4 (local.get $d) (i32.add (local.get $fill) (i32.const 1))))
          (else (local.set $full (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $each)))
    (local.get $full))

  ;; Rearranges a[lo..hi] so that a[k] holds the value of rank k: quickselect with a median-of-three
  ;; pivot and a branch-free Lomuto partition (a comparison with the pivot is a coin toss, so a branch
  ;; on it would mispredict half the time): each element is swapped with the first one not below the
  ;; pivot, and that boundary advances by [x < pivot]. When nothing is below the pivot (ties), a second
  ;; pass gathers the elements equal to it, so runs of equal values cost linear time. Insertion sort
  ;; below 16 elements. Element access is written out: V8 does not inline between wasm functions.
  (func (export "select") (param $a i32) (param $k i32) (param $lo i32) (param $hi i32)
    (local $i i32) (local $j i32) (local $mid i32) (local $v f64) (local $pivot f64) (local $t f64) (local $first i32) (local $x f64)
    (block $exit
      (loop $outer
        (br_if $exit (i32.le_s (local.get $hi) (local.get $lo)))
        (if (i32.lt_s (i32.sub (local.get $hi) (local.get $lo)) (i32.const 16))
          (then
            (local.set $i (i32.add (local.get $lo) (i32.const 1)))
            (block $sorted
              (loop $insert
                (br_if $sorted (i32.gt_s (local.get $i) (local.get $hi)))
                (local.set $v (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))
                (local.set $j (i32.sub (local.get $i) (i32.const 1)))
                (block $placed
                  (loop $shift
                    (br_if $placed (i32.lt_s (local.get $j) (local.get $lo)))
                    (br_if $placed (i32.eqz (f64.gt (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))) (local.get $v))))
                    (f64.store (i32.add (local.get $a) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $j) (i32.const 3)))))
                    (local.set $j (i32.sub (local.get $j) (i32.const 1)))
                    (br $shift)))
                (f64.store (i32.add (local.get $a) (i32.shl (i32.add (local.get $j) (i32.const 1)) (i32.const 3))) (local.get $v))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $insert)))
            (br $exit)))
        ;; median of three at mid, then the pivot parks at hi
        (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
        (if (f64.lt (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3)))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))))) (then (local.set $t (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))) (local.get $t))))
        (if (f64.lt (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3)))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))))) (then (local.set $t (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $lo) (i32.const 3))) (local.get $t))))
        (if (f64.lt (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3)))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))))) (then (local.set $t (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))) (local.get $t))))
        (local.set $pivot (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3)))))
        (local.set $t (f64.load (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $mid) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))) (local.get $t))
        ;; a[lo, first) < pivot <= a[first, i)
        (local.set $first (local.get $lo))
        (local.set $i (local.get $lo))
        (block $partitioned
          (loop $partition
            (br_if $partitioned (i32.ge_s (local.get $i) (local.get $hi)))
            (local.set $x (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))
            (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3)))))
            (f64.store (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3))) (local.get $x))
            (local.set $first (i32.add (local.get $first) (f64.lt (local.get $x) (local.get $pivot))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $partition)))
        (local.set $t (f64.load (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))))) (f64.store (i32.add (local.get $a) (i32.shl (local.get $hi) (i32.const 3))) (local.get $t))
        (br_if $exit (i32.eq (local.get $k) (local.get $first)))
        (if (i32.lt_s (local.get $k) (local.get $first))
          (then (local.set $hi (i32.sub (local.get $first) (i32.const 1))) (br $outer)))
        (if (i32.gt_s (local.get $first) (local.get $lo))
          (then (local.set $lo (i32.add (local.get $first) (i32.const 1))) (br $outer)))
        ;; nothing below the pivot: gather the elements equal to it, a[lo, first) == pivot < a[first, i)
        (local.set $first (local.get $lo))
        (local.set $i (local.get $lo))
        (block $gathered
          (loop $gather
            (br_if $gathered (i32.gt_s (local.get $i) (local.get $hi)))
            (local.set $x (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))
            (f64.store (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3))) (f64.load (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3)))))
            (f64.store (i32.add (local.get $a) (i32.shl (local.get $first) (i32.const 3))) (local.get $x))
            (local.set $first (i32.add (local.get $first) (f64.le (local.get $x) (local.get $pivot))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $gather)))
        (br_if $exit (i32.lt_s (local.get $k) (local.get $first)))
        ;; no progress only when the pivot is NaN (no order at all; such a run is reported as an error)
        (br_if $exit (i32.eq (local.get $first) (local.get $lo)))
        (local.set $lo (local.get $first))
        (br $outer))))

  ;; Mixture, step one: choice[i] (a uniform on entry) becomes the index j of the first cumulative
  ;; weight above it, as a double; counts[j] (i32) += 1. As mixture.ts. cum is ascending and its last
  ;; entry 1 > u, so j is the number of entries at or below u: up to five components that count is
  ;; taken free of branches (the component is random, so a scan's exit would mispredict), with the
  ;; counts of u at or above each entry in locals and counts[j] their differences at the end.
  (func (export "mixChoose") (param $choice i32) (param $n i32) (param $cum i32) (param $counts i32)
    (local $p i32) (local $stop i32) (local $u f64) (local $j i32) (local $c i32) (local $k i32)
    (local $t0 f64) (local $t1 f64) (local $t2 f64) (local $t3 f64)
    (local $g0 i32) (local $g1 i32) (local $g2 i32) (local $g3 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local.set $p (local.get $choice))
    (local.set $stop (i32.add (local.get $choice) (i32.shl (local.get $n) (i32.const 3))))
    ;; how many components: entries up to and including the first 1
    (local.set $k (i32.const 1))
    (block $sized
      (loop $size
        (br_if $sized (f64.ge (f64.load (i32.add (local.get $cum) (i32.shl (i32.sub (local.get $k) (i32.const 1)) (i32.const 3)))) (f64.const 1)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $size)))
    (if (i32.le_u (local.get $k) (i32.const 5))
      (then
        ;; entries past the last component's are +inf (never at or below u)
        (local.set $t0 (select (f64.load offset=0 (local.get $cum)) (f64.const inf) (i32.gt_u (local.get $k) (i32.const 1))))
        (local.set $t1 (select (f64.load offset=8 (local.get $cum)) (f64.const inf) (i32.gt_u (local.get $k) (i32.const 2))))
        (local.set $t2 (select (f64.load offset=16 (local.get $cum)) (f64.const inf) (i32.gt_u (local.get $k) (i32.const 3))))
        (local.set $t3 (select (f64.load offset=24 (local.get $cum)) (f64.const inf) (i32.gt_u (local.get $k) (i32.const 4))))
        (block $done
          (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
          (loop $next
            (local.set $u (f64.load (local.get $p)))
            (local.set $b0 (f64.le (local.get $t0) (local.get $u)))
            (local.set $b1 (f64.le (local.get $t1) (local.get $u)))
            (local.set $b2 (f64.le (local.get $t2) (local.get $u)))
            (local.set $b3 (f64.le (local.get $t3) (local.get $u)))
            (local.set $g0 (i32.add (local.get $g0) (local.get $b0)))
            (local.set $g1 (i32.add (local.get $g1) (local.get $b1)))
            (local.set $g2 (i32.add (local.get $g2) (local.get $b2)))
            (local.set $g3 (i32.add (local.get $g3) (local.get $b3)))
            (f64.store (local.get $p) (f64.convert_i32_u (i32.add (i32.add (local.get $b0) (local.get $b1)) (i32.add (local.get $b2) (local.get $b3)))))
            (local.set $p (i32.add (local.get $p) (i32.const 8)))
            (br_if $next (i32.lt_u (local.get $p) (local.get $stop)))))
        ;; counts[j] = #(u ≥ cum[j−1]) − #(u ≥ cum[j]), with #(u ≥ cum[−1]) = n
        (i32.store offset=0 (local.get $counts) (i32.add (i32.load offset=0 (local.get $counts)) (i32.sub (local.get $n) (local.get $g0))))
        (if (i32.gt_u (local.get $k) (i32.const 1)) (then (i32.store offset=4 (local.get $counts) (i32.add (i32.load offset=4 (local.get $counts)) (i32.sub (local.get $g0) (local.get $g1))))))
        (if (i32.gt_u (local.get $k) (i32.const 2)) (then (i32.store offset=8 (local.get $counts) (i32.add (i32.load offset=8 (local.get $counts)) (i32.sub (local.get $g1) (local.get $g2))))))
        (if (i32.gt_u (local.get $k) (i32.const 3)) (then (i32.store offset=12 (local.get $counts) (i32.add (i32.load offset=12 (local.get $counts)) (i32.sub (local.get $g2) (local.get $g3))))))
        (if (i32.gt_u (local.get $k) (i32.const 4)) (then (i32.store offset=16 (local.get $counts) (i32.add (i32.load offset=16 (local.get $counts)) (local.get $g3)))))
        (return)))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
      (loop $next
        (local.set $u (f64.load (local.get $p)))
        (local.set $j (i32.const 0))
        (block $found
          (loop $scan
            (br_if $found (f64.lt (local.get $u) (f64.load (i32.add (local.get $cum) (i32.shl (local.get $j) (i32.const 3))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $scan)))
        (f64.store (local.get $p) (f64.convert_i32_u (local.get $j)))
        (local.set $c (i32.add (local.get $counts) (i32.shl (local.get $j) (i32.const 2))))
        (i32.store (local.get $c) (i32.add (i32.load (local.get $c)) (i32.const 1)))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $stop))))))

  ;; Mixture, step two: out[i] from the chosen component j = choice[i], whose entry at comps + 16j is
  ;; {kind i32, ptr i32, cursor i32, unused}, and whose constant is the f64 at constants + 8j. Kind 0:
  ;; the constant; 1: a sample set, its element i; 2: parametric draws, the next one (cursor).
  (func (export "mixAssemble") (param $out i32) (param $choice i32) (param $n i32) (param $comps i32) (param $constants i32)
    (local $i i32) (local $j i32) (local $e i32) (local $kind i32) (local $c i32)
    (block $done
      (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
      (loop $next
        (local.set $j (i32.trunc_f64_u (f64.load (i32.add (local.get $choice) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $e (i32.add (local.get $comps) (i32.shl (local.get $j) (i32.const 4))))
        (local.set $kind (i32.load (local.get $e)))
        (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
          (if (result f64) (i32.eq (local.get $kind) (i32.const 1))
            (then (f64.load (i32.add (i32.load offset=4 (local.get $e)) (i32.shl (local.get $i) (i32.const 3)))))
            (else
              (if (result f64) (i32.eqz (local.get $kind))
                (then (f64.load (i32.add (local.get $constants) (i32.shl (local.get $j) (i32.const 3)))))
                (else
                  (local.set $c (i32.load offset=8 (local.get $e)))
                  (i32.store offset=8 (local.get $e) (i32.add (local.get $c) (i32.const 1)))
                  (f64.load (i32.add (i32.load offset=4 (local.get $e)) (i32.shl (local.get $c) (i32.const 3)))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $next (i32.lt_s (local.get $i) (local.get $n))))))

  ;; Keeps the values of a[0, n) within [lo, hi] at its front, in order, and returns how many; how
  ;; many were below lo goes to results slot 5 (34360). As stream-summary.ts's compact().
  (func (export "compact") (param $a i32) (param $n i32) (param $lo f64) (param $hi f64) (result i32)
    (local $p i32) (local $stop i32) (local $w i32) (local $below i32) (local $x f64)
    (local.set $p (local.get $a))
    (local.set $w (local.get $a))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
        (local.set $x (f64.load (local.get $p)))
        (local.set $below (i32.add (local.get $below) (f64.lt (local.get $x) (local.get $lo))))
        ;; written always, kept (the cursor advances) only when lo <= x <= hi
        (f64.store (local.get $w) (local.get $x))
        (local.set $w (i32.add (local.get $w) (i32.shl
          (i32.and (f64.ge (local.get $x) (local.get $lo)) (f64.le (local.get $x) (local.get $hi))) (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $next)))
    (f64.store offset=34360 (i32.const 0) (f64.convert_i32_u (local.get $below)))
    (i32.shr_u (i32.sub (local.get $w) (local.get $a)) (i32.const 3)))

  ;; How many of a[0, n) lie in [lo, hi].
  (func (export "countBetween") (param $a i32) (param $n i32) (param $lo f64) (param $hi f64) (result i32)
    (local $p i32) (local $stop i32) (local $c i32) (local $x f64)
    (local.set $p (local.get $a))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
      (loop $next
        (local.set $x (f64.load (local.get $p)))
        (local.set $c (i32.add (local.get $c) (i32.and (f64.ge (local.get $x) (local.get $lo)) (f64.le (local.get $x) (local.get $hi)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $stop)))))
    (local.get $c))

  ;; How many of a[0, n) are NaN or infinite (x − x is 0 for finite x, NaN otherwise).
  (func $countNonFinite (export "countNonFinite") (param $a i32) (param $n i32) (result i32)
    (local $p i32) (local $stop i32) (local $c i32) (local $x f64)
    (local.set $p (local.get $a))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
      (loop $next
        (local.set $x (f64.load (local.get $p)))
        (local.set $c (i32.add (local.get $c) (f64.ne (f64.sub (local.get $x) (local.get $x)) (f64.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $stop)))))
    (local.get $c))

  ;; How many of a[0, n) are above t.
  (func (export "countAbove") (param $a i32) (param $n i32) (param $t f64) (result i32)
    (local $p i32) (local $stop i32) (local $c i32)
    (local.set $p (local.get $a))
    (local.set $stop (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (br_if $done (i32.ge_u (local.get $p) (local.get $stop)))
      (loop $next
        (local.set $c (i32.add (local.get $c) (f64.gt (f64.load (local.get $p)) (local.get $t))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $next (i32.lt_u (local.get $p) (local.get $stop)))))
    (local.get $c))
)
