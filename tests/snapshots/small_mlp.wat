(module
 (type $0 (func))
 (type $1 (func (param i32) (result f32)))
 (type $2 (func (param v128) (result v128)))
 (type $3 (func (param i32)))
 (global $batch (mut i32) (i32.const 0))
 (memory $0 1 1)
 (export "train" (func $train))
 (export "evaluate" (func $evaluate))
 (export "predict" (func $predict))
 (export "memory" (memory $0))
 (func $tanh_f32x4 (param $0 v128) (result v128)
  (local $1 v128)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (v128.or
   (v128.bitselect
    (f32x4.add
     (f32x4.mul
      (f32x4.mul
       (f32x4.add
        (f32x4.mul
         (f32x4.add
          (f32x4.mul
           (f32x4.add
            (f32x4.mul
             (f32x4.add
              (f32x4.mul
               (v128.const i32x4 0xbbbaf0ea 0xbbbaf0ea 0xbbbaf0ea 0xbbbaf0ea)
               (local.tee $1
                (f32x4.mul
                 (local.tee $2
                  (f32x4.abs
                   (local.get $0)
                  )
                 )
                 (local.get $2)
                )
               )
              )
              (v128.const i32x4 0x3ca9134e 0x3ca9134e 0x3ca9134e 0x3ca9134e)
             )
             (local.get $1)
            )
            (v128.const i32x4 0xbd5c1e2d 0xbd5c1e2d 0xbd5c1e2d 0xbd5c1e2d)
           )
           (local.get $1)
          )
          (v128.const i32x4 0x3e088393 0x3e088393 0x3e088393 0x3e088393)
         )
         (local.get $1)
        )
        (v128.const i32x4 0xbeaaaa99 0xbeaaaa99 0xbeaaaa99 0xbeaaaa99)
       )
       (local.get $1)
      )
      (local.get $2)
     )
     (local.get $2)
    )
    (block (result v128)
     (local.set $3
      (f32x4.sub
       (local.tee $4
        (f32x4.add
         (f32x4.mul
          (local.tee $1
           (f32x4.pmin
            (f32x4.pmax
             (f32x4.add
              (local.get $2)
              (local.get $2)
             )
             (v128.const i32x4 0xc2d00000 0xc2d00000 0xc2d00000 0xc2d00000)
            )
            (v128.const i32x4 0x42b1999a 0x42b1999a 0x42b1999a 0x42b1999a)
           )
          )
          (v128.const i32x4 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b 0x3fb8aa3b)
         )
         (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)
        )
       )
       (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)
      )
     )
     (f32x4.sub
      (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
      (f32x4.div
       (v128.const i32x4 0x40000000 0x40000000 0x40000000 0x40000000)
       (f32x4.add
        (f32x4.mul
         (f32x4.mul
          (f32x4.add
           (f32x4.add
            (f32x4.mul
             (f32x4.add
              (f32x4.mul
               (f32x4.add
                (f32x4.mul
                 (f32x4.add
                  (f32x4.mul
                   (f32x4.add
                    (f32x4.mul
                     (f32x4.add
                      (f32x4.mul
                       (v128.const i32x4 0x39506967 0x39506967 0x39506967 0x39506967)
                       (local.tee $1
                        (f32x4.sub
                         (f32x4.sub
                          (local.get $1)
                          (f32x4.mul
                           (local.get $3)
                           (v128.const i32x4 0x3f318000 0x3f318000 0x3f318000 0x3f318000)
                          )
                         )
                         (f32x4.mul
                          (local.get $3)
                          (v128.const i32x4 0xb95e8083 0xb95e8083 0xb95e8083 0xb95e8083)
                         )
                        )
                       )
                      )
                      (v128.const i32x4 0x3ab743ce 0x3ab743ce 0x3ab743ce 0x3ab743ce)
                     )
                     (local.get $1)
                    )
                    (v128.const i32x4 0x3c088908 0x3c088908 0x3c088908 0x3c088908)
                   )
                   (local.get $1)
                  )
                  (v128.const i32x4 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1 0x3d2aa9c1)
                 )
                 (local.get $1)
                )
                (v128.const i32x4 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa 0x3e2aaaaa)
               )
               (local.get $1)
              )
              (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)
             )
             (f32x4.mul
              (local.get $1)
              (local.get $1)
             )
            )
            (local.get $1)
           )
           (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
          )
          (i32x4.shl
           (i32x4.add
            (local.tee $3
             (i32x4.shr_s
              (local.tee $1
               (i32x4.sub
                (local.get $4)
                (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)
               )
              )
              (i32.const 1)
             )
            )
            (v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f)
           )
           (i32.const 23)
          )
         )
         (i32x4.shl
          (i32x4.add
           (i32x4.sub
            (local.get $1)
            (local.get $3)
           )
           (v128.const i32x4 0x0000007f 0x0000007f 0x0000007f 0x0000007f)
          )
          (i32.const 23)
         )
        )
        (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
       )
      )
     )
    )
    (f32x4.lt
     (local.get $2)
     (v128.const i32x4 0x3f200000 0x3f200000 0x3f200000 0x3f200000)
    )
   )
   (v128.and
    (local.get $0)
    (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)
   )
  )
 )
 (func $train_k0_matmul
  (local $0 i32)
  (local $1 v128)
  (local $2 v128)
  (local $3 v128)
  (local $4 i32)
  (local $5 v128)
  (local $6 i32)
  (local $7 v128)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local.set $11
   (i32.const 112)
  )
  (local.set $9
   (i32.const 64)
  )
  (local.set $6
   (i32.const 304)
  )
  (if
   (i32.ge_s
    (local.tee $10
     (global.get $batch)
    )
    (i32.const 4)
   )
   (then
    (loop $rows0
     (local.set $1
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $3
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $5
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $7
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $0
      (local.get $9)
     )
     (local.set $8
      (i32.add
       (local.tee $4
        (local.get $11)
       )
       (i32.const 32)
      )
     )
     (loop $k2
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (local.tee $2
          (v128.load
           (local.get $4)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $3
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=12
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $3)
       )
      )
      (local.set $5
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=24
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $5)
       )
      )
      (local.set $7
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=36
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $7)
       )
      )
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=4
          (local.get $0)
         )
         (local.tee $2
          (v128.load offset=16
           (local.get $4)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $3
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=16
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $3)
       )
      )
      (local.set $5
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=28
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $5)
       )
      )
      (local.set $7
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=40
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $7)
       )
      )
      (local.set $0
       (i32.add
        (local.get $0)
        (i32.const 8)
       )
      )
      (br_if $k2
       (i32.gt_s
        (local.get $8)
        (local.tee $4
         (i32.add
          (local.get $4)
          (i32.const 32)
         )
        )
       )
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $2
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $3)
      )
     )
     (local.set $5
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $5)
      )
     )
     (local.set $7
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $7)
      )
     )
     (v128.store align=4
      (local.get $6)
      (local.get $1)
     )
     (v128.store offset=16 align=4
      (local.get $6)
      (local.get $3)
     )
     (v128.store offset=32 align=4
      (local.get $6)
      (local.get $5)
     )
     (v128.store offset=48 align=4
      (local.get $6)
      (local.get $7)
     )
     (local.set $9
      (i32.add
       (local.get $9)
       (i32.const 48)
      )
     )
     (local.set $6
      (i32.sub
       (local.get $6)
       (i32.const -64)
      )
     )
     (br_if $rows0
      (i32.ge_s
       (local.tee $10
        (i32.sub
         (local.get $10)
         (i32.const 4)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $10)
    (i32.const 3)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $3
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $5
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $9)
    )
    (local.set $8
     (i32.add
      (local.tee $4
       (local.get $11)
      )
      (i32.const 32)
     )
    )
    (loop $k3
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $2
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $3)
      )
     )
     (local.set $5
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $5)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $2
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $3)
      )
     )
     (local.set $5
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $5)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k3
      (i32.gt_s
       (local.get $8)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (local.set $1
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $0)
       )
       (local.tee $2
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $1)
     )
    )
    (local.set $3
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $0)
       )
       (local.get $2)
      )
      (local.get $3)
     )
    )
    (local.set $5
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $0)
       )
       (local.get $2)
      )
      (local.get $5)
     )
    )
    (v128.store align=4
     (local.get $6)
     (local.get $1)
    )
    (v128.store offset=16 align=4
     (local.get $6)
     (local.get $3)
    )
    (v128.store offset=32 align=4
     (local.get $6)
     (local.get $5)
    )
   )
  )
  (if
   (i32.eq
    (local.get $10)
    (i32.const 2)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $3
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $9)
    )
    (local.set $8
     (i32.add
      (local.tee $4
       (local.get $11)
      )
      (i32.const 32)
     )
    )
    (loop $k4
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $2
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $3)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $2
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $3)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k4
      (i32.gt_s
       (local.get $8)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (local.set $1
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $0)
       )
       (local.tee $2
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $1)
     )
    )
    (local.set $3
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $0)
       )
       (local.get $2)
      )
      (local.get $3)
     )
    )
    (v128.store align=4
     (local.get $6)
     (local.get $1)
    )
    (v128.store offset=16 align=4
     (local.get $6)
     (local.get $3)
    )
   )
  )
  (if
   (i32.eq
    (local.get $10)
    (i32.const 1)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $9)
    )
    (local.set $8
     (i32.add
      (local.tee $4
       (local.get $11)
      )
      (i32.const 32)
     )
    )
    (loop $k5
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (v128.load offset=16
         (local.get $4)
        )
       )
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (v128.load
          (local.get $4)
         )
        )
        (local.get $1)
       )
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k5
      (i32.gt_s
       (local.get $8)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (v128.store align=4
     (local.get $6)
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $0)
       )
       (v128.load
        (local.get $4)
       )
      )
      (local.get $1)
     )
    )
   )
  )
 )
 (func $train_k1_elementwise
  (local $0 i32)
  (local $1 i32)
  (if
   (i32.lt_s
    (i32.const 0)
    (global.get $batch)
   )
   (then
    (loop $loop11
     (if
      (block (result i32)
       (local.set $0
        (i32.const 0)
       )
       (i32.const 1)
      )
      (then
       (loop $loop7
        (v128.store offset=368 align=4
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
           (local.get $0)
          )
          (i32.const 2)
         )
         (call $tanh_f32x4
          (f32x4.add
           (v128.load offset=304 align=4
            (i32.shl
             (i32.add
              (i32.shl
               (local.get $1)
               (i32.const 2)
              )
              (local.get $0)
             )
             (i32.const 2)
            )
           )
           (v128.load offset=160 align=4
            (i32.shl
             (local.get $0)
             (i32.const 2)
            )
           )
          )
         )
        )
        (br_if $loop7
         (i32.lt_s
          (local.tee $0
           (i32.add
            (local.get $0)
            (i32.const 4)
           )
          )
          (i32.const 4)
         )
        )
       )
      )
     )
     (if
      (block (result i32)
       (local.set $0
        (i32.const 4)
       )
       (i32.const 0)
      )
      (then
       (loop $loop9
        (f32.store offset=368
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
           (local.get $0)
          )
          (i32.const 2)
         )
         (f32x4.extract_lane 0
          (call $tanh_f32x4
           (f32x4.splat
            (f32.add
             (f32.load offset=304
              (i32.shl
               (i32.add
                (i32.shl
                 (local.get $1)
                 (i32.const 2)
                )
                (local.get $0)
               )
               (i32.const 2)
              )
             )
             (f32.load offset=160
              (i32.shl
               (local.get $0)
               (i32.const 2)
              )
             )
            )
           )
          )
         )
        )
        (br_if $loop9
         (i32.lt_s
          (local.tee $0
           (i32.add
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 4)
         )
        )
       )
      )
     )
     (br_if $loop11
      (i32.lt_s
       (local.tee $1
        (i32.add
         (local.get $1)
         (i32.const 1)
        )
       )
       (global.get $batch)
      )
     )
    )
   )
  )
 )
 (func $train (param $0 i32) (result f32)
  (local $1 v128)
  (local $2 v128)
  (local $3 i32)
  (local $4 v128)
  (local $5 i32)
  (local $6 v128)
  (local $7 i32)
  (local $8 i32)
  (local $9 v128)
  (local $10 f32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (global.set $batch
   (local.get $0)
  )
  (call $train_k0_matmul)
  (call $train_k1_elementwise)
  (local.set $8
   (i32.const 176)
  )
  (local.set $0
   (i32.const 592)
  )
  (loop $pack12
   (v128.store
    (local.get $0)
    (f32x4.replace_lane 3
     (f32x4.replace_lane 2
      (f32x4.replace_lane 1
       (f32x4.splat
        (f32.load
         (local.get $8)
        )
       )
       (f32.load offset=4
        (local.get $8)
       )
      )
      (f32.const 0)
     )
     (f32.const 0)
    )
   )
   (local.set $8
    (i32.add
     (local.get $8)
     (i32.const 8)
    )
   )
   (br_if $pack12
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 16)
      )
     )
     (i32.const 656)
    )
   )
  )
  (local.set $7
   (i32.const 368)
  )
  (local.set $3
   (i32.const 304)
  )
  (if
   (i32.ge_s
    (local.tee $8
     (global.get $batch)
    )
    (i32.const 4)
   )
   (then
    (loop $rows14
     (local.set $1
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $2
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $6
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $9
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $0
      (local.get $7)
     )
     (local.set $5
      (i32.const 592)
     )
     (loop $k16
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (local.tee $4
          (v128.load
           (local.get $5)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $2
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=16
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $2)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=32
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=48
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $9)
       )
      )
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=4
          (local.get $0)
         )
         (local.tee $4
          (v128.load offset=16
           (local.get $5)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $2
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=20
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $2)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=36
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=52
          (local.get $0)
         )
         (local.get $4)
        )
        (local.get $9)
       )
      )
      (local.set $0
       (i32.add
        (local.get $0)
        (i32.const 8)
       )
      )
      (br_if $k16
       (i32.lt_s
        (local.tee $5
         (i32.add
          (local.get $5)
          (i32.const 32)
         )
        )
        (i32.const 656)
       )
      )
     )
     (f32.store
      (local.get $3)
      (f32x4.extract_lane 0
       (local.get $1)
      )
     )
     (f32.store offset=4
      (local.get $3)
      (f32x4.extract_lane 1
       (local.get $1)
      )
     )
     (f32.store offset=8
      (local.get $3)
      (f32x4.extract_lane 0
       (local.get $2)
      )
     )
     (f32.store offset=12
      (local.get $3)
      (f32x4.extract_lane 1
       (local.get $2)
      )
     )
     (f32.store offset=16
      (local.get $3)
      (f32x4.extract_lane 0
       (local.get $6)
      )
     )
     (f32.store offset=20
      (local.get $3)
      (f32x4.extract_lane 1
       (local.get $6)
      )
     )
     (f32.store offset=24
      (local.get $3)
      (f32x4.extract_lane 0
       (local.get $9)
      )
     )
     (f32.store offset=28
      (local.get $3)
      (f32x4.extract_lane 1
       (local.get $9)
      )
     )
     (local.set $7
      (i32.sub
       (local.get $7)
       (i32.const -64)
      )
     )
     (local.set $3
      (i32.add
       (local.get $3)
       (i32.const 32)
      )
     )
     (br_if $rows14
      (i32.ge_s
       (local.tee $8
        (i32.sub
         (local.get $8)
         (i32.const 4)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $8)
    (i32.const 3)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $2
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $6
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $5
     (i32.const 592)
    )
    (loop $k17
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $4
         (v128.load
          (local.get $5)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $2)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $6)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $4
         (v128.load offset=16
          (local.get $5)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $2)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $6)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k17
      (i32.lt_s
       (local.tee $5
        (i32.add
         (local.get $5)
         (i32.const 32)
        )
       )
       (i32.const 656)
      )
     )
    )
    (f32.store
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $2)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $2)
     )
    )
    (f32.store offset=16
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $6)
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $6)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $8)
    (i32.const 2)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $2
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $5
     (i32.const 592)
    )
    (loop $k18
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $4
         (v128.load
          (local.get $5)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $2)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $4
         (v128.load offset=16
          (local.get $5)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $4)
       )
       (local.get $2)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k18
      (i32.lt_s
       (local.tee $5
        (i32.add
         (local.get $5)
         (i32.const 32)
        )
       )
       (i32.const 656)
      )
     )
    )
    (f32.store
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $2)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $2)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $8)
    (i32.const 1)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $5
     (i32.const 592)
    )
    (loop $k19
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (v128.load offset=16
         (local.get $5)
        )
       )
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (v128.load
          (local.get $5)
         )
        )
        (local.get $1)
       )
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k19
      (i32.lt_s
       (local.tee $5
        (i32.add
         (local.get $5)
         (i32.const 32)
        )
       )
       (i32.const 656)
      )
     )
    )
    (f32.store
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
   )
  )
  (local.set $7
   (i32.const 0)
  )
  (if
   (i32.gt_s
    (global.get $batch)
    (i32.const 0)
   )
   (then
    (loop $loop25
     (local.set $0
      (i32.const 0)
     )
     (loop $loop23
      (f32.store offset=336
       (i32.shl
        (i32.add
         (i32.shl
          (local.get $7)
          (i32.const 1)
         )
         (local.get $0)
        )
        (i32.const 2)
       )
       (local.tee $10
        (f32.sub
         (f32.add
          (f32.load offset=304
           (i32.shl
            (i32.add
             (i32.shl
              (local.get $7)
              (i32.const 1)
             )
             (local.get $0)
            )
            (i32.const 2)
           )
          )
          (f32.load offset=208
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
         )
         (f32.load offset=224
          (i32.shl
           (i32.add
            (i32.shl
             (local.get $7)
             (i32.const 1)
            )
            (local.get $0)
           )
           (i32.const 2)
          )
         )
        )
       )
      )
      (f32.store offset=432
       (i32.shl
        (i32.add
         (i32.shl
          (local.get $7)
          (i32.const 1)
         )
         (local.get $0)
        )
        (i32.const 2)
       )
       (f32.mul
        (local.get $10)
        (local.get $10)
       )
      )
      (br_if $loop23
       (i32.lt_s
        (local.tee $0
         (i32.add
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
      )
     )
     (br_if $loop25
      (i32.lt_s
       (local.tee $7
        (i32.add
         (local.get $7)
         (i32.const 1)
        )
       )
       (global.get $batch)
      )
     )
    )
   )
  )
  (local.set $0
   (i32.const 0)
  )
  (local.set $1
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (if
   (i32.gt_s
    (i32.and
     (i32.shl
      (global.get $batch)
      (i32.const 1)
     )
     (i32.const -4)
    )
    (i32.const 0)
   )
   (then
    (loop $loop27
     (local.set $1
      (f32x4.add
       (local.get $1)
       (v128.load offset=432 align=4
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
      )
     )
     (br_if $loop27
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 4)
        )
       )
       (i32.and
        (i32.shl
         (global.get $batch)
         (i32.const 1)
        )
        (i32.const -4)
       )
      )
     )
    )
   )
  )
  (local.set $10
   (f32.add
    (f32.add
     (f32x4.extract_lane 0
      (local.get $1)
     )
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
    (f32.add
     (f32x4.extract_lane 2
      (local.get $1)
     )
     (f32x4.extract_lane 3
      (local.get $1)
     )
    )
   )
  )
  (if
   (i32.lt_s
    (local.tee $0
     (i32.and
      (i32.shl
       (global.get $batch)
       (i32.const 1)
      )
      (i32.const -4)
     )
    )
    (i32.shl
     (global.get $batch)
     (i32.const 1)
    )
   )
   (then
    (loop $loop29
     (local.set $10
      (f32.add
       (local.get $10)
       (f32.load offset=432
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
      )
     )
     (br_if $loop29
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i32.shl
        (global.get $batch)
        (i32.const 1)
       )
      )
     )
    )
   )
  )
  (f32.store
   (i32.const 304)
   (local.get $10)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop33
   (f32.store offset=256
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32.div
     (f32.load
      (i32.const 304)
     )
     (local.tee $10
      (f32.mul
       (f32.convert_i32_s
        (global.get $batch)
       )
       (f32.const 2)
      )
     )
    )
   )
   (f32.store offset=320
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32.div
     (f32.const 1)
     (local.get $10)
    )
   )
   (br_if $loop33
    (i32.le_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (i32.const 0)
    )
   )
  )
  (local.set $0
   (i32.const 0)
  )
  (if
   (i32.gt_s
    (i32.and
     (i32.shl
      (global.get $batch)
      (i32.const 1)
     )
     (i32.const -4)
    )
    (i32.const 0)
   )
   (then
    (loop $loop35
     (v128.store offset=432 align=4
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
      (f32x4.add
       (local.tee $1
        (f32x4.mul
         (v128.load32_splat offset=320
          (i32.const 0)
         )
         (v128.load offset=336 align=4
          (i32.shl
           (local.get $0)
           (i32.const 2)
          )
         )
        )
       )
       (local.get $1)
      )
     )
     (br_if $loop35
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 4)
        )
       )
       (i32.and
        (i32.shl
         (global.get $batch)
         (i32.const 1)
        )
        (i32.const -4)
       )
      )
     )
    )
   )
  )
  (if
   (i32.lt_s
    (local.tee $0
     (i32.and
      (i32.shl
       (global.get $batch)
       (i32.const 1)
      )
      (i32.const -4)
     )
    )
    (i32.shl
     (global.get $batch)
     (i32.const 1)
    )
   )
   (then
    (loop $loop37
     (f32.store offset=432
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
      (f32.add
       (local.tee $10
        (f32.mul
         (f32.load
          (i32.const 320)
         )
         (f32.load offset=336
          (i32.shl
           (local.get $0)
           (i32.const 2)
          )
         )
        )
       )
       (local.get $10)
      )
     )
     (br_if $loop37
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i32.shl
        (global.get $batch)
        (i32.const 1)
       )
      )
     )
    )
   )
  )
  (local.set $7
   (i32.const 0)
  )
  (loop $loop45
   (local.set $10
    (f32.const 0)
   )
   (if
    (i32.lt_s
     (local.tee $0
      (i32.const 0)
     )
     (global.get $batch)
    )
    (then
     (loop $loop43
      (local.set $10
       (f32.add
        (local.get $10)
        (f32.load offset=432
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
           (local.get $7)
          )
          (i32.const 2)
         )
        )
       )
      )
      (br_if $loop43
       (i32.lt_s
        (local.tee $0
         (i32.add
          (local.get $0)
          (i32.const 1)
         )
        )
        (global.get $batch)
       )
      )
     )
    )
   )
   (f32.store offset=304
    (i32.shl
     (local.get $7)
     (i32.const 2)
    )
    (local.get $10)
   )
   (br_if $loop45
    (i32.lt_s
     (local.tee $7
      (i32.add
       (local.get $7)
       (i32.const 1)
      )
     )
     (i32.const 2)
    )
   )
  )
  (i64.store align=1
   (i32.const 320)
   (i64.load align=1
    (i32.const 304)
   )
  )
  (local.set $5
   (i32.const 176)
  )
  (local.set $0
   (i32.const 592)
  )
  (if
   (i32.lt_s
    (local.get $0)
    (i32.const 624)
   )
   (then
    (loop $pack46
     (v128.store
      (local.get $0)
      (f32x4.replace_lane 3
       (f32x4.replace_lane 2
        (f32x4.replace_lane 1
         (f32x4.splat
          (f32.load
           (local.get $5)
          )
         )
         (f32.load offset=8
          (local.get $5)
         )
        )
        (f32.load offset=16
         (local.get $5)
        )
       )
       (f32.load offset=24
        (local.get $5)
       )
      )
     )
     (local.set $5
      (i32.add
       (local.get $5)
       (i32.const 4)
      )
     )
     (br_if $pack46
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 16)
        )
       )
       (i32.const 624)
      )
     )
    )
   )
  )
  (local.set $7
   (i32.const 432)
  )
  (local.set $8
   (i32.const 464)
  )
  (if
   (i32.ge_s
    (local.tee $5
     (global.get $batch)
    )
    (i32.const 4)
   )
   (then
    (loop $rows50
     (local.set $1
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $4
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $6
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $9
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $0
      (local.get $7)
     )
     (local.set $3
      (i32.const 592)
     )
     (loop $k52
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (local.tee $2
          (v128.load
           (local.get $3)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $4
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=8
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $4)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=16
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=24
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $9)
       )
      )
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=4
          (local.get $0)
         )
         (local.tee $2
          (v128.load offset=16
           (local.get $3)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $4
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=12
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $4)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=20
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=28
          (local.get $0)
         )
         (local.get $2)
        )
        (local.get $9)
       )
      )
      (local.set $0
       (i32.add
        (local.get $0)
        (i32.const 8)
       )
      )
      (br_if $k52
       (i32.lt_s
        (local.tee $3
         (i32.add
          (local.get $3)
          (i32.const 32)
         )
        )
        (i32.const 624)
       )
      )
     )
     (v128.store align=4
      (local.get $8)
      (local.get $1)
     )
     (v128.store offset=16 align=4
      (local.get $8)
      (local.get $4)
     )
     (v128.store offset=32 align=4
      (local.get $8)
      (local.get $6)
     )
     (v128.store offset=48 align=4
      (local.get $8)
      (local.get $9)
     )
     (local.set $7
      (i32.add
       (local.get $7)
       (i32.const 32)
      )
     )
     (local.set $8
      (i32.sub
       (local.get $8)
       (i32.const -64)
      )
     )
     (br_if $rows50
      (i32.ge_s
       (local.tee $5
        (i32.sub
         (local.get $5)
         (i32.const 4)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $5)
    (i32.const 3)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $4
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $6
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $3
     (i32.const 592)
    )
    (loop $k53
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $2
         (v128.load
          (local.get $3)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $4)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $6)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $2
         (v128.load offset=16
          (local.get $3)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $4)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $6)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k53
      (i32.lt_s
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 32)
        )
       )
       (i32.const 624)
      )
     )
    )
    (v128.store align=4
     (local.get $8)
     (local.get $1)
    )
    (v128.store offset=16 align=4
     (local.get $8)
     (local.get $4)
    )
    (v128.store offset=32 align=4
     (local.get $8)
     (local.get $6)
    )
   )
  )
  (if
   (i32.eq
    (local.get $5)
    (i32.const 2)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $4
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $3
     (i32.const 592)
    )
    (loop $k54
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $2
         (v128.load
          (local.get $3)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $4)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $2
         (v128.load offset=16
          (local.get $3)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $2)
       )
       (local.get $4)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k54
      (i32.lt_s
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 32)
        )
       )
       (i32.const 624)
      )
     )
    )
    (v128.store align=4
     (local.get $8)
     (local.get $1)
    )
    (v128.store offset=16 align=4
     (local.get $8)
     (local.get $4)
    )
   )
  )
  (if
   (i32.eq
    (local.get $5)
    (i32.const 1)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $7)
    )
    (local.set $3
     (i32.const 592)
    )
    (loop $k55
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (v128.load offset=16
         (local.get $3)
        )
       )
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (v128.load
          (local.get $3)
         )
        )
        (local.get $1)
       )
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k55
      (i32.lt_s
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 32)
        )
       )
       (i32.const 624)
      )
     )
    )
    (v128.store align=4
     (local.get $8)
     (local.get $1)
    )
   )
  )
  (local.set $8
   (i32.const 432)
  )
  (if
   (i32.lt_s
    (local.tee $0
     (i32.const 592)
    )
    (local.tee $7
     (i32.add
      (i32.shl
       (local.tee $11
        (global.get $batch)
       )
       (i32.const 4)
      )
      (i32.const 592)
     )
    )
   )
   (then
    (loop $pack56
     (v128.store
      (local.get $0)
      (f32x4.replace_lane 3
       (f32x4.replace_lane 2
        (f32x4.replace_lane 1
         (f32x4.splat
          (f32.load
           (local.get $8)
          )
         )
         (f32.load offset=4
          (local.get $8)
         )
        )
        (f32.const 0)
       )
       (f32.const 0)
      )
     )
     (local.set $8
      (i32.add
       (local.get $8)
       (i32.const 8)
      )
     )
     (br_if $pack56
      (i32.gt_s
       (local.get $7)
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 16)
        )
       )
      )
     )
    )
   )
  )
  (local.set $7
   (i32.const 368)
  )
  (local.set $3
   (i32.const 336)
  )
  (local.set $12
   (i32.const 4)
  )
  (loop $rows58
   (local.set $4
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
   )
   (local.set $6
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
   )
   (local.set $9
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
   )
   (local.set $2
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
   )
   (local.set $0
    (local.get $7)
   )
   (local.set $5
    (i32.const 592)
   )
   (if
    (i32.ge_s
     (local.get $11)
     (i32.const 2)
    )
    (then
     (local.set $8
      (i32.add
       (i32.shl
        (i32.shr_s
         (local.get $11)
         (i32.const 1)
        )
        (i32.const 5)
       )
       (i32.const 592)
      )
     )
     (loop $k60
      (local.set $4
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (local.tee $1
          (v128.load
           (local.get $5)
          )
         )
        )
        (local.get $4)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=4
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=8
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $9)
       )
      )
      (local.set $2
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=12
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $2)
       )
      )
      (local.set $4
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=16
          (local.get $0)
         )
         (local.tee $1
          (v128.load offset=16
           (local.get $5)
          )
         )
        )
        (local.get $4)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=20
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $6)
       )
      )
      (local.set $9
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=24
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $9)
       )
      )
      (local.set $2
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=28
          (local.get $0)
         )
         (local.get $1)
        )
        (local.get $2)
       )
      )
      (local.set $0
       (i32.add
        (local.get $0)
        (i32.const 32)
       )
      )
      (br_if $k60
       (i32.gt_s
        (local.get $8)
        (local.tee $5
         (i32.add
          (local.get $5)
          (i32.const 32)
         )
        )
       )
      )
     )
    )
   )
   (if
    (i32.and
     (local.get $11)
     (i32.const 1)
    )
    (then
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $1
         (v128.load
          (local.get $5)
         )
        )
       )
       (local.get $4)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $6)
      )
     )
     (local.set $9
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $9)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $2)
      )
     )
    )
   )
   (f32.store
    (local.get $3)
    (f32x4.extract_lane 0
     (local.get $4)
    )
   )
   (f32.store offset=4
    (local.get $3)
    (f32x4.extract_lane 1
     (local.get $4)
    )
   )
   (f32.store offset=8
    (local.get $3)
    (f32x4.extract_lane 0
     (local.get $6)
    )
   )
   (f32.store offset=12
    (local.get $3)
    (f32x4.extract_lane 1
     (local.get $6)
    )
   )
   (f32.store offset=16
    (local.get $3)
    (f32x4.extract_lane 0
     (local.get $9)
    )
   )
   (f32.store offset=20
    (local.get $3)
    (f32x4.extract_lane 1
     (local.get $9)
    )
   )
   (f32.store offset=24
    (local.get $3)
    (f32x4.extract_lane 0
     (local.get $2)
    )
   )
   (f32.store offset=28
    (local.get $3)
    (f32x4.extract_lane 1
     (local.get $2)
    )
   )
   (local.set $7
    (i32.add
     (local.get $7)
     (i32.const 16)
    )
   )
   (local.set $3
    (i32.add
     (local.get $3)
     (i32.const 32)
    )
   )
   (br_if $rows58
    (i32.ge_s
     (local.tee $12
      (i32.sub
       (local.get $12)
       (i32.const 4)
      )
     )
     (i32.const 4)
    )
   )
  )
  (local.set $0
   (i32.const 0)
  )
  (if
   (i32.gt_s
    (i32.and
     (i32.shl
      (global.get $batch)
      (i32.const 2)
     )
     (i32.const -4)
    )
    (i32.const 0)
   )
   (then
    (loop $loop62
     (v128.store offset=528 align=4
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
      (f32x4.mul
       (v128.load offset=464 align=4
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (f32x4.sub
        (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)
        (f32x4.mul
         (local.tee $1
          (v128.load offset=368 align=4
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
         )
         (local.get $1)
        )
       )
      )
     )
     (br_if $loop62
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 4)
        )
       )
       (i32.and
        (i32.shl
         (global.get $batch)
         (i32.const 2)
        )
        (i32.const -4)
       )
      )
     )
    )
   )
  )
  (if
   (i32.lt_s
    (local.tee $0
     (i32.and
      (i32.shl
       (global.get $batch)
       (i32.const 2)
      )
      (i32.const -4)
     )
    )
    (i32.shl
     (global.get $batch)
     (i32.const 2)
    )
   )
   (then
    (loop $loop64
     (f32.store offset=528
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
      (f32.mul
       (f32.load offset=464
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (f32.sub
        (f32.const 1)
        (f32.mul
         (local.tee $10
          (f32.load offset=368
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
         )
         (local.get $10)
        )
       )
      )
     )
     (br_if $loop64
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i32.shl
        (global.get $batch)
        (i32.const 2)
       )
      )
     )
    )
   )
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop68
   (local.set $1
    (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
   )
   (if
    (i32.lt_s
     (local.tee $7
      (i32.const 0)
     )
     (global.get $batch)
    )
    (then
     (loop $loop66
      (local.set $1
       (f32x4.add
        (local.get $1)
        (v128.load offset=528 align=4
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $7)
            (i32.const 2)
           )
           (local.get $0)
          )
          (i32.const 2)
         )
        )
       )
      )
      (br_if $loop66
       (i32.lt_s
        (local.tee $7
         (i32.add
          (local.get $7)
          (i32.const 1)
         )
        )
        (global.get $batch)
       )
      )
     )
    )
   )
   (v128.store offset=304 align=4
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (local.get $1)
   )
   (br_if $loop68
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 4)
      )
     )
     (i32.const 4)
    )
   )
  )
  (local.set $0
   (i32.const 4)
  )
  (v128.store align=1
   (i32.const 432)
   (v128.load align=1
    (i32.const 304)
   )
  )
  (local.set $8
   (global.get $batch)
  )
  (local.set $7
   (i32.const 64)
  )
  (local.set $5
   (i32.const 464)
  )
  (local.set $11
   (i32.const 3)
  )
  (local.set $4
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $2
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $6
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $0
   (local.get $7)
  )
  (local.set $3
   (i32.const 528)
  )
  (if
   (i32.ge_s
    (local.get $8)
    (i32.const 2)
   )
   (then
    (local.set $12
     (i32.add
      (i32.shl
       (i32.shr_s
        (local.get $8)
        (i32.const 1)
       )
       (i32.const 5)
      )
      (i32.const 528)
     )
    )
    (loop $k76
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $1
         (v128.load
          (local.get $3)
         )
        )
       )
       (local.get $4)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $2)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $6)
      )
     )
     (local.set $4
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $0)
        )
        (local.tee $1
         (v128.load offset=16
          (local.get $3)
         )
        )
       )
       (local.get $4)
      )
     )
     (local.set $2
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $2)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $1)
       )
       (local.get $6)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 24)
      )
     )
     (br_if $k76
      (i32.gt_s
       (local.get $12)
       (local.tee $3
        (i32.add
         (local.get $3)
         (i32.const 32)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.and
    (local.get $8)
    (i32.const 1)
   )
   (then
    (local.set $4
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $0)
       )
       (local.tee $1
        (v128.load
         (local.get $3)
        )
       )
      )
      (local.get $4)
     )
    )
    (local.set $6
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=8
        (local.get $0)
       )
       (local.get $1)
      )
      (local.get $6)
     )
    )
    (local.set $2
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=4
        (local.get $0)
       )
       (local.get $1)
      )
      (local.get $2)
     )
    )
   )
  )
  (v128.store align=4
   (local.get $5)
   (local.get $4)
  )
  (v128.store offset=16 align=4
   (local.get $5)
   (local.get $2)
  )
  (v128.store offset=32 align=4
   (local.get $5)
   (local.get $6)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop78
   (v128.store offset=112 align=4
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32x4.sub
     (v128.load offset=112 align=4
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
     )
     (f32x4.mul
      (v128.load offset=464 align=4
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (v128.const i32x4 0x3dcccccd 0x3dcccccd 0x3dcccccd 0x3dcccccd)
     )
    )
   )
   (br_if $loop78
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 4)
      )
     )
     (i32.const 12)
    )
   )
  )
  (local.set $0
   (i32.const 12)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop82
   (v128.store offset=160 align=4
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32x4.sub
     (v128.load offset=160 align=4
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
     )
     (f32x4.mul
      (v128.load offset=432 align=4
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (v128.const i32x4 0x3dcccccd 0x3dcccccd 0x3dcccccd 0x3dcccccd)
     )
    )
   )
   (br_if $loop82
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 4)
      )
     )
     (i32.const 4)
    )
   )
  )
  (local.set $0
   (i32.const 4)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop86
   (v128.store offset=176 align=4
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32x4.sub
     (v128.load offset=176 align=4
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
     )
     (f32x4.mul
      (v128.load offset=336 align=4
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (v128.const i32x4 0x3dcccccd 0x3dcccccd 0x3dcccccd 0x3dcccccd)
     )
    )
   )
   (br_if $loop86
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 4)
      )
     )
     (i32.const 8)
    )
   )
  )
  (local.set $0
   (i32.const 8)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop92
   (f32.store offset=208
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32.sub
     (f32.load offset=208
      (i32.shl
       (local.get $0)
       (i32.const 2)
      )
     )
     (f32.mul
      (f32.load offset=320
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (f32.const 0.10000000149011612)
     )
    )
   )
   (br_if $loop92
    (i32.lt_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (i32.const 2)
    )
   )
  )
  (f32.load
   (i32.const 256)
  )
 )
 (func $evaluate_k2_matmul
  (local $0 i32)
  (local $1 v128)
  (local $2 i32)
  (local $3 v128)
  (local $4 i32)
  (local $5 v128)
  (local $6 v128)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 v128)
  (local.set $7
   (i32.const 176)
  )
  (if
   (block (result i32)
    (local.set $0
     (i32.const 432)
    )
    (local.set $8
     (i32.const 496)
    )
    (i32.const 1)
   )
   (then
    (loop $pack105
     (v128.store
      (local.get $0)
      (f32x4.replace_lane 3
       (f32x4.replace_lane 2
        (f32x4.replace_lane 1
         (f32x4.splat
          (f32.load
           (local.get $7)
          )
         )
         (f32.load offset=4
          (local.get $7)
         )
        )
        (f32.const 0)
       )
       (f32.const 0)
      )
     )
     (local.set $7
      (i32.add
       (local.get $7)
       (i32.const 8)
      )
     )
     (br_if $pack105
      (i32.gt_s
       (local.get $8)
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 16)
        )
       )
      )
     )
    )
   )
  )
  (local.set $8
   (i32.const 368)
  )
  (local.set $2
   (i32.const 304)
  )
  (if
   (i32.ge_s
    (local.tee $7
     (global.get $batch)
    )
    (i32.const 4)
   )
   (then
    (loop $rows107
     (local.set $1
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $3
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $6
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $10
      (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
     )
     (local.set $0
      (local.get $8)
     )
     (local.set $4
      (i32.const 432)
     )
     (local.set $9
      (i32.const 496)
     )
     (loop $k109
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (local.tee $5
          (v128.load
           (local.get $4)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $3
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=16
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $3)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=32
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $6)
       )
      )
      (local.set $10
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=48
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $10)
       )
      )
      (local.set $1
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=4
          (local.get $0)
         )
         (local.tee $5
          (v128.load offset=16
           (local.get $4)
          )
         )
        )
        (local.get $1)
       )
      )
      (local.set $3
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=20
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $3)
       )
      )
      (local.set $6
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=36
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $6)
       )
      )
      (local.set $10
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=52
          (local.get $0)
         )
         (local.get $5)
        )
        (local.get $10)
       )
      )
      (local.set $0
       (i32.add
        (local.get $0)
        (i32.const 8)
       )
      )
      (br_if $k109
       (i32.gt_s
        (local.get $9)
        (local.tee $4
         (i32.add
          (local.get $4)
          (i32.const 32)
         )
        )
       )
      )
     )
     (f32.store
      (local.get $2)
      (f32x4.extract_lane 0
       (local.get $1)
      )
     )
     (f32.store offset=4
      (local.get $2)
      (f32x4.extract_lane 1
       (local.get $1)
      )
     )
     (f32.store offset=8
      (local.get $2)
      (f32x4.extract_lane 0
       (local.get $3)
      )
     )
     (f32.store offset=12
      (local.get $2)
      (f32x4.extract_lane 1
       (local.get $3)
      )
     )
     (f32.store offset=16
      (local.get $2)
      (f32x4.extract_lane 0
       (local.get $6)
      )
     )
     (f32.store offset=20
      (local.get $2)
      (f32x4.extract_lane 1
       (local.get $6)
      )
     )
     (f32.store offset=24
      (local.get $2)
      (f32x4.extract_lane 0
       (local.get $10)
      )
     )
     (f32.store offset=28
      (local.get $2)
      (f32x4.extract_lane 1
       (local.get $10)
      )
     )
     (local.set $8
      (i32.sub
       (local.get $8)
       (i32.const -64)
      )
     )
     (local.set $2
      (i32.add
       (local.get $2)
       (i32.const 32)
      )
     )
     (br_if $rows107
      (i32.ge_s
       (local.tee $7
        (i32.sub
         (local.get $7)
         (i32.const 4)
        )
       )
       (i32.const 4)
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $7)
    (i32.const 3)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $3
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $6
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $8)
    )
    (local.set $4
     (i32.const 432)
    )
    (local.set $9
     (i32.const 496)
    )
    (loop $k110
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $5
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $3)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $6)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $5
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $3)
      )
     )
     (local.set $6
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $6)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k110
      (i32.gt_s
       (local.get $9)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (f32.store
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
    (f32.store offset=8
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $3)
     )
    )
    (f32.store offset=12
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $3)
     )
    )
    (f32.store offset=16
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $6)
     )
    )
    (f32.store offset=20
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $6)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $7)
    (i32.const 2)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $3
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $8)
    )
    (local.set $4
     (i32.const 432)
    )
    (local.set $9
     (i32.const 496)
    )
    (loop $k111
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $0)
        )
        (local.tee $5
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $3)
      )
     )
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (local.tee $5
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $1)
      )
     )
     (local.set $3
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $0)
        )
        (local.get $5)
       )
       (local.get $3)
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k111
      (i32.gt_s
       (local.get $9)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (f32.store
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
    (f32.store offset=8
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $3)
     )
    )
    (f32.store offset=12
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $3)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $7)
    (i32.const 1)
   )
   (then
    (local.set $1
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $0
     (local.get $8)
    )
    (local.set $4
     (i32.const 432)
    )
    (local.set $9
     (i32.const 496)
    )
    (loop $k112
     (local.set $1
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $0)
        )
        (v128.load offset=16
         (local.get $4)
        )
       )
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat
          (local.get $0)
         )
         (v128.load
          (local.get $4)
         )
        )
        (local.get $1)
       )
      )
     )
     (local.set $0
      (i32.add
       (local.get $0)
       (i32.const 8)
      )
     )
     (br_if $k112
      (i32.gt_s
       (local.get $9)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (f32.store
     (local.get $2)
     (f32x4.extract_lane 0
      (local.get $1)
     )
    )
    (f32.store offset=4
     (local.get $2)
     (f32x4.extract_lane 1
      (local.get $1)
     )
    )
   )
  )
 )
 (func $evaluate (param $0 i32) (result f32)
  (local $1 i32)
  (local $2 v128)
  (local $3 f32)
  (local $4 v128)
  (local $5 f32)
  (global.set $batch
   (local.get $0)
  )
  (call $train_k0_matmul)
  (call $train_k1_elementwise)
  (call $evaluate_k2_matmul)
  (if
   (i32.gt_s
    (global.get $batch)
    (i32.const 0)
   )
   (then
    (loop $loop118
     (local.set $0
      (i32.const 0)
     )
     (loop $loop116
      (local.set $3
       (f32.sub
        (local.tee $5
         (f32.add
          (f32.load offset=304
           (i32.shl
            (i32.add
             (i32.shl
              (local.get $1)
              (i32.const 1)
             )
             (local.get $0)
            )
            (i32.const 2)
           )
          )
          (f32.load offset=208
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
         )
        )
        (f32.load offset=224
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 1)
           )
           (local.get $0)
          )
          (i32.const 2)
         )
        )
       )
      )
      (f32.store offset=272
       (i32.shl
        (i32.add
         (i32.shl
          (local.get $1)
          (i32.const 1)
         )
         (local.get $0)
        )
        (i32.const 2)
       )
       (local.get $5)
      )
      (f32.store offset=336
       (i32.shl
        (i32.add
         (i32.shl
          (local.get $1)
          (i32.const 1)
         )
         (local.get $0)
        )
        (i32.const 2)
       )
       (f32.mul
        (local.get $3)
        (local.get $3)
       )
      )
      (br_if $loop116
       (i32.lt_s
        (local.tee $0
         (i32.add
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
      )
     )
     (br_if $loop118
      (i32.lt_s
       (local.tee $1
        (i32.add
         (local.get $1)
         (i32.const 1)
        )
       )
       (global.get $batch)
      )
     )
    )
   )
  )
  (local.set $0
   (i32.const 0)
  )
  (if
   (i32.gt_s
    (i32.and
     (i32.shl
      (global.get $batch)
      (i32.const 1)
     )
     (i32.const -4)
    )
    (i32.const 0)
   )
   (then
    (loop $loop120
     (local.set $2
      (f32x4.add
       (local.get $2)
       (v128.load offset=336 align=4
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
      )
     )
     (br_if $loop120
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 4)
        )
       )
       (i32.and
        (i32.shl
         (global.get $batch)
         (i32.const 1)
        )
        (i32.const -4)
       )
      )
     )
    )
   )
  )
  (local.set $3
   (f32.add
    (f32.add
     (f32x4.extract_lane 0
      (local.get $2)
     )
     (f32x4.extract_lane 1
      (local.get $2)
     )
    )
    (f32.add
     (f32x4.extract_lane 2
      (local.get $2)
     )
     (f32x4.extract_lane 3
      (local.get $2)
     )
    )
   )
  )
  (if
   (i32.lt_s
    (local.tee $0
     (i32.and
      (i32.shl
       (global.get $batch)
       (i32.const 1)
      )
      (i32.const -4)
     )
    )
    (i32.shl
     (global.get $batch)
     (i32.const 1)
    )
   )
   (then
    (loop $loop122
     (local.set $3
      (f32.add
       (local.get $3)
       (f32.load offset=336
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
      )
     )
     (br_if $loop122
      (i32.lt_s
       (local.tee $0
        (i32.add
         (local.get $0)
         (i32.const 1)
        )
       )
       (i32.shl
        (global.get $batch)
        (i32.const 1)
       )
      )
     )
    )
   )
  )
  (f32.store
   (i32.const 304)
   (local.get $3)
  )
  (local.set $0
   (i32.const 0)
  )
  (loop $loop126
   (f32.store offset=256
    (i32.shl
     (local.get $0)
     (i32.const 2)
    )
    (f32.div
     (f32.load
      (i32.const 304)
     )
     (f32.mul
      (f32.convert_i32_s
       (global.get $batch)
      )
      (f32.const 2)
     )
    )
   )
   (br_if $loop126
    (i32.le_s
     (local.tee $0
      (i32.add
       (local.get $0)
       (i32.const 1)
      )
     )
     (i32.const 0)
    )
   )
  )
  (f32.load
   (i32.const 256)
  )
 )
 (func $predict (param $0 i32)
  (local $1 i32)
  (global.set $batch
   (local.get $0)
  )
  (call $train_k0_matmul)
  (call $train_k1_elementwise)
  (call $evaluate_k2_matmul)
  (if
   (i32.gt_s
    (global.get $batch)
    (i32.const 0)
   )
   (then
    (loop $loop152
     (local.set $0
      (i32.const 0)
     )
     (loop $loop150
      (f32.store offset=272
       (i32.shl
        (i32.add
         (i32.shl
          (local.get $1)
          (i32.const 1)
         )
         (local.get $0)
        )
        (i32.const 2)
       )
       (f32.add
        (f32.load offset=304
         (i32.shl
          (i32.add
           (i32.shl
            (local.get $1)
            (i32.const 1)
           )
           (local.get $0)
          )
          (i32.const 2)
         )
        )
        (f32.load offset=208
         (i32.shl
          (local.get $0)
          (i32.const 2)
         )
        )
       )
      )
      (br_if $loop150
       (i32.lt_s
        (local.tee $0
         (i32.add
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
      )
     )
     (br_if $loop152
      (i32.lt_s
       (local.tee $1
        (i32.add
         (local.get $1)
         (i32.const 1)
        )
       )
       (global.get $batch)
      )
     )
    )
   )
  )
 )
)
