;; The inner loop of the wire desk's MinHash (fingerprint.ts), four minima at
;; a time with SIMD. scripts/build-minhash-wasm.mjs compiles this file into
;; minhash-wasm.ts; a test checks the two agree and that the result equals the
;; plain JavaScript loop on any text.
;;
;; Memory (one page):
;;   bytes 0..511     the 128 running minima, as i32 with the sign bit flipped
;;                    (signed order is then unsigned order), set by the caller
;;   bytes 512..      the words' base hashes, two i32 per word: h0, the first
;;                    hash with its sign bit flipped, and h2, the odd step
;;
;; fold(n) lowers the minima with the n words at byte 512: the k-th hash of a
;; word is h0 + k·h2 (mod 2^32), so lanes k, k+1, k+2, k+3 start at h0 + k·h2
;; and step by 4·h2 for each group of four.
(module
  (memory (export "memory") 1)
  (func (export "fold") (param $n i32)
    (local $word i32)
    (local $end i32)
    (local $h0 i32)
    (local $h2 i32)
    (local $lanes v128)
    (local $step v128)
    (local $at i32)
    (local.set $word (i32.const 512))
    (local.set $end (i32.add (i32.const 512) (i32.shl (local.get $n) (i32.const 3))))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $word) (local.get $end)))
        (local.set $h0 (i32.load (local.get $word)))
        (local.set $h2 (i32.load offset=4 (local.get $word)))
        ;; lanes = h0, h0 + h2, h0 + 2·h2, h0 + 3·h2
        (local.set $lanes
          (i32x4.add
            (i32x4.splat (local.get $h0))
            (i32x4.mul (i32x4.splat (local.get $h2)) (v128.const i32x4 0 1 2 3))))
        (local.set $step (i32x4.splat (i32.shl (local.get $h2) (i32.const 2))))
        ;; 32 groups of four minima, two groups a turn
        (local.set $at (i32.const 0))
        (loop $groups
          (v128.store (local.get $at) (i32x4.min_s (v128.load (local.get $at)) (local.get $lanes)))
          (local.set $lanes (i32x4.add (local.get $lanes) (local.get $step)))
          (v128.store offset=16 (local.get $at) (i32x4.min_s (v128.load offset=16 (local.get $at)) (local.get $lanes)))
          (local.set $lanes (i32x4.add (local.get $lanes) (local.get $step)))
          (local.set $at (i32.add (local.get $at) (i32.const 32)))
          (br_if $groups (i32.lt_u (local.get $at) (i32.const 512))))
        (local.set $word (i32.add (local.get $word) (i32.const 8)))
        (br $words)))))
