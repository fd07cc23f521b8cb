(module
 (type $0 (func))
 (type $1 (func (param v128) (result v128)))
 (type $2 (func (param i32) (result f32)))
 (type $3 (func (param i32)))
 (global $batch (mut i32) (i32.const 0))
 (memory $0 1 1)
 (export "train" (func $train))
 (export "evaluate" (func $evaluate))
 (export "predict" (func $predict))
 (export "memory" (memory $0))
 (func $exp_f32x4 (param $0 v128) (result v128)
  (local $1 v128)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (nop)
  (nop)
  (local.set $2
   (f32x4.sub
    (local.tee $1
     (f32x4.add
      (f32x4.mul
       (local.tee $0
        (f32x4.pmin
         (f32x4.pmax
          (local.get $0)
          (f32x4.splat
           (f32.const -104)
          )
         )
         (f32x4.splat
          (f32.const 88.80000305175781)
         )
        )
       )
       (f32x4.splat
        (f32.const 1.4426950216293335)
       )
      )
      (f32x4.splat
       (f32.const 12582912)
      )
     )
    )
    (f32x4.splat
     (f32.const 12582912)
    )
   )
  )
  (nop)
  (nop)
  (nop)
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
                 (f32x4.splat
                  (f32.const 1.9875691214110702e-04)
                 )
                 (local.tee $3
                  (f32x4.sub
                   (f32x4.sub
                    (local.get $0)
                    (f32x4.mul
                     (local.get $2)
                     (f32x4.splat
                      (f32.const 0.693359375)
                     )
                    )
                   )
                   (f32x4.mul
                    (local.get $2)
                    (f32x4.splat
                     (f32.const -2.1219444170128554e-04)
                    )
                   )
                  )
                 )
                )
                (f32x4.splat
                 (f32.const 0.001398199936375022)
                )
               )
               (local.get $3)
              )
              (f32x4.splat
               (f32.const 0.008333452045917511)
              )
             )
             (local.get $3)
            )
            (f32x4.splat
             (f32.const 0.04166579619050026)
            )
           )
           (local.get $3)
          )
          (f32x4.splat
           (f32.const 0.1666666567325592)
          )
         )
         (local.get $3)
        )
        (f32x4.splat
         (f32.const 0.5)
        )
       )
       (f32x4.mul
        (local.get $3)
        (local.get $3)
       )
      )
      (local.get $3)
     )
     (f32x4.splat
      (f32.const 1)
     )
    )
    (i32x4.shl
     (i32x4.add
      (local.tee $5
       (i32x4.shr_s
        (local.tee $4
         (i32x4.sub
          (local.get $1)
          (i32x4.splat
           (i32.const 1262485504)
          )
         )
        )
        (i32.const 1)
       )
      )
      (i32x4.splat
       (i32.const 127)
      )
     )
     (i32.const 23)
    )
   )
   (i32x4.shl
    (i32x4.add
     (i32x4.sub
      (local.get $4)
      (local.get $5)
     )
     (i32x4.splat
      (i32.const 127)
     )
    )
    (i32.const 23)
   )
  )
 )
 (func $log_f32x4 (param $0 v128) (result v128)
  (local $1 v128)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 v128)
  (local $8 v128)
  (local $9 v128)
  (nop)
  (nop)
  (local.set $3
   (f32x4.convert_i32x4_s
    (i32x4.add
     (i32x4.shr_s
      (local.tee $2
       (i32x4.sub
        (v128.bitselect
         (f32x4.mul
          (local.get $0)
          (f32x4.splat
           (f32.const 8388608)
          )
         )
         (local.get $0)
         (local.tee $1
          (f32x4.lt
           (local.get $0)
           (f32x4.splat
            (f32.const 1.1754943508222875e-38)
           )
          )
         )
        )
        (i32x4.splat
         (i32.const 1060439283)
        )
       )
      )
      (i32.const 23)
     )
     (v128.and
      (local.get $1)
      (i32x4.splat
       (i32.const -23)
      )
     )
    )
   )
  )
  (nop)
  (nop)
  (nop)
  (local.set $7
   (f32x4.mul
    (local.tee $6
     (f32x4.mul
      (local.tee $5
       (f32x4.div
        (local.tee $4
         (f32x4.sub
          (i32x4.add
           (v128.and
            (local.get $2)
            (i32x4.splat
             (i32.const 8388607)
            )
           )
           (i32x4.splat
            (i32.const 1060439283)
           )
          )
          (f32x4.splat
           (f32.const 1)
          )
         )
        )
        (f32x4.add
         (local.get $4)
         (f32x4.splat
          (f32.const 2)
         )
        )
       )
      )
      (local.get $5)
     )
    )
    (local.get $6)
   )
  )
  (nop)
  (nop)
  (nop)
  (nop)
  (v128.bitselect
   (f32x4.splat
    (f32.const inf)
   )
   (v128.bitselect
    (f32x4.splat
     (f32.const -inf)
    )
    (v128.bitselect
     (f32x4.sub
      (f32x4.mul
       (local.get $3)
       (f32x4.splat
        (f32.const 0.6931381225585938)
       )
      )
      (f32x4.sub
       (f32x4.sub
        (local.tee $8
         (f32x4.mul
          (f32x4.mul
           (local.get $4)
           (local.get $4)
          )
          (f32x4.splat
           (f32.const 0.5)
          )
         )
        )
        (f32x4.add
         (f32x4.mul
          (local.get $5)
          (f32x4.add
           (local.get $8)
           (f32x4.add
            (f32x4.mul
             (local.get $6)
             (f32x4.add
              (f32x4.mul
               (local.get $7)
               (f32x4.splat
                (f32.const 0.2849878668785095)
               )
              )
              (f32x4.splat
               (f32.const 0.6666666269302368)
              )
             )
            )
            (f32x4.mul
             (local.get $7)
             (f32x4.add
              (f32x4.mul
               (local.get $7)
               (f32x4.splat
                (f32.const 0.24279078841209412)
               )
              )
              (f32x4.splat
               (f32.const 0.40000972151756287)
              )
             )
            )
           )
          )
         )
         (f32x4.mul
          (local.get $3)
          (f32x4.splat
           (f32.const 9.05800061445916e-06)
          )
         )
        )
       )
       (local.get $4)
      )
     )
     (f32x4.splat
      (f32.const nan:0x400000)
     )
     (f32x4.ge
      (local.get $0)
      (f32x4.splat
       (f32.const 0)
      )
     )
    )
    (f32x4.eq
     (local.get $0)
     (f32x4.splat
      (f32.const 0)
     )
    )
   )
   (f32x4.eq
    (local.get $0)
    (f32x4.splat
     (f32.const inf)
    )
   )
  )
 )
 (func $tanh_f32x4 (param $0 v128) (result v128)
  (local $1 v128)
  (local $2 v128)
  (nop)
  (nop)
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
               (f32x4.splat
                (f32.const -5.7049887254834175e-03)
               )
               (local.tee $2
                (f32x4.mul
                 (local.tee $1
                  (f32x4.abs
                   (local.get $0)
                  )
                 )
                 (local.get $1)
                )
               )
              )
              (f32x4.splat
               (f32.const 0.0206390880048275)
              )
             )
             (local.get $2)
            )
            (f32x4.splat
             (f32.const -0.05373971536755562)
            )
           )
           (local.get $2)
          )
          (f32x4.splat
           (f32.const 0.13331441581249237)
          )
         )
         (local.get $2)
        )
        (f32x4.splat
         (f32.const -0.3333328068256378)
        )
       )
       (local.get $2)
      )
      (local.get $1)
     )
     (local.get $1)
    )
    (f32x4.sub
     (f32x4.splat
      (f32.const 1)
     )
     (f32x4.div
      (f32x4.splat
       (f32.const 2)
      )
      (f32x4.add
       (call $exp_f32x4
        (f32x4.add
         (local.get $1)
         (local.get $1)
        )
       )
       (f32x4.splat
        (f32.const 1)
       )
      )
     )
    )
    (f32x4.lt
     (local.get $1)
     (f32x4.splat
      (f32.const 0.625)
     )
    )
   )
   (v128.and
    (local.get $0)
    (i32x4.splat
     (i32.const -2147483648)
    )
   )
  )
 )
 (func $sigmoid_f32x4 (param $0 v128) (result v128)
  (local $1 v128)
  (nop)
  (f32x4.div
   (v128.bitselect
    (local.tee $1
     (call $exp_f32x4
      (f32x4.neg
       (f32x4.abs
        (local.get $0)
       )
      )
     )
    )
    (f32x4.splat
     (f32.const 1)
    )
    (f32x4.lt
     (local.get $0)
     (f32x4.splat
      (f32.const 0)
     )
    )
   )
   (f32x4.add
    (local.get $1)
    (f32x4.splat
     (f32.const 1)
    )
   )
  )
 )
 (func $train_k0_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local $54 v128)
  (local $55 v128)
  (local $56 v128)
  (local $57 v128)
  (local $58 v128)
  (local $59 v128)
  (local $60 v128)
  (local $61 v128)
  (local $62 v128)
  (local $63 v128)
  (nop)
  (local.set $7
   (i32.const 112)
  )
  (nop)
  (local.set $2
   (i32.const 64)
  )
  (local.set $3
   (local.tee $8
    (i32.const 320)
   )
  )
  (nop)
  (block $block
   (br_if $block
    (i32.lt_s
     (local.tee $6
      (global.get $batch)
     )
     (i32.const 4)
    )
   )
   (loop $label1
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=40
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (nop)
    (local.set $19
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=36
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $19)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=48 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $19)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 48)
     )
    )
    (local.set $3
     (i32.sub
      (local.get $3)
      (i32.const -64)
     )
    )
    (nop)
    (br_if $label1
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label2
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label2
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (nop)
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.tee $13
         (f32x4.add
          (f32x4.mul
           (v128.load32_splat
            (local.get $1)
           )
           (local.tee $21
            (v128.load
             (local.get $4)
            )
           )
          )
          (local.get $13)
         )
        )
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
 )
 (func $train_k1_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local.set $0
   (global.get $batch)
  )
  (nop)
  (local.set $8
   (i32.const 384)
  )
  (local.set $10
   (i32.const 176)
  )
  (nop)
  (nop)
  (block $block
   (br_if $block
    (i32.ge_s
     (local.tee $11
      (i32.const 544)
     )
     (local.tee $12
      (i32.const 608)
     )
    )
   )
   (loop $label
    (v128.store
     (local.get $11)
     (f32x4.replace_lane 3
      (f32x4.replace_lane 2
       (f32x4.replace_lane 1
        (f32x4.splat
         (f32.load
          (local.get $10)
         )
        )
        (f32.load offset=4
         (local.get $10)
        )
       )
       (f32.const 0)
      )
      (f32.const 0)
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 8)
     )
    )
    (nop)
    (br_if $label
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.add
        (local.get $11)
        (i32.const 16)
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i32.const 320)
  )
  (local.set $3
   (local.get $8)
  )
  (nop)
  (block $block1
   (br_if $block1
    (i32.lt_s
     (local.tee $6
      (local.get $0)
     )
     (i32.const 4)
    )
   )
   (loop $label2
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 608)
    )
    (loop $label1
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=48
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=52
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label1
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (f32.store offset=16
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $17)
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
    (f32.store offset=24
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $19)
     )
    )
    (f32.store offset=28
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $19)
     )
    )
    (local.set $2
     (i32.sub
      (local.get $2)
      (i32.const -64)
     )
    )
    (local.set $3
     (i32.add
      (local.get $3)
      (i32.const 32)
     )
    )
    (nop)
    (br_if $label2
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 608)
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (f32.store offset=16
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $17)
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 608)
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 608)
    )
    (loop $label5
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label5
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
   )
  )
 )
 (func $train_k2_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 v128)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (local $12 f32)
  (local $13 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
     )
     (global.get $batch)
    )
   )
   (loop $label2
    (block $block1
     (nop)
     (br_if $block1
      (i32.ge_u
       (local.tee $1
        (i32.const 0)
       )
       (i32.const 0)
      )
     )
     (loop $label
      (nop)
      (nop)
      (nop)
      (nop)
      (local.set $6
       (f32x4.sub
        (local.tee $5
         (f32x4.add
          (v128.load offset=384 align=4
           (i32.shl
            (i32.add
             (local.get $1)
             (i32.shl
              (local.get $0)
              (i32.const 1)
             )
            )
            (i32.const 2)
           )
          )
          (v128.load offset=208 align=4
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
          )
         )
        )
        (v128.load offset=224 align=4
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (v128.store offset=288 align=4
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $5)
      )
      (v128.store offset=416 align=4
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $6)
      )
      (v128.store offset=448 align=4
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (f32x4.mul
        (local.get $6)
        (local.get $6)
       )
      )
      (nop)
      (br_if $label
       (i32.lt_s
        (local.tee $1
         (i32.add
          (local.get $1)
          (i32.const 4)
         )
        )
        (i32.const 0)
       )
      )
     )
    )
    (block $block2
     (nop)
     (drop
      (local.tee $1
       (i32.const 0)
      )
     )
     (br_if $block2
      (i32.const 0)
     )
     (loop $label1
      (nop)
      (nop)
      (nop)
      (nop)
      (local.set $12
       (f32.sub
        (local.tee $11
         (f32.add
          (f32.load offset=384
           (i32.shl
            (i32.add
             (local.get $1)
             (i32.shl
              (local.get $0)
              (i32.const 1)
             )
            )
            (i32.const 2)
           )
          )
          (f32.load offset=208
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
          )
         )
        )
        (f32.load offset=224
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (f32.store offset=288
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $11)
      )
      (f32.store offset=416
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $12)
      )
      (f32.store offset=448
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (f32.mul
        (local.get $12)
        (local.get $12)
       )
      )
      (nop)
      (br_if $label1
       (i32.lt_s
        (local.tee $1
         (i32.add
          (local.get $1)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label2
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
 (func $train_k3_reduce
  (local $0 f32)
  (local $1 i32)
  (local $2 v128)
  (local.set $2
   (f32x4.splat
    (f32.const 0)
   )
  )
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $1
      (i32.const 0)
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
   (loop $label
    (local.set $2
     (f32x4.add
      (local.get $2)
      (v128.load offset=448 align=4
       (i32.shl
        (local.get $1)
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
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
  (local.set $0
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
  (block $block1
   (nop)
   (br_if $block1
    (i32.ge_s
     (local.tee $1
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
   )
   (loop $label1
    (local.set $0
     (f32.add
      (local.get $0)
      (f32.load offset=448
       (i32.shl
        (local.get $1)
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label1
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
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
  (f32.store
   (i32.const 384)
   (local.get $0)
  )
 )
 (func $train_k4_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 f32)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_u
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (v128.store offset=272 align=4
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32x4.div
      (v128.load32_splat offset=384
       (i32.const 0)
      )
      (local.tee $3
       (f32x4.mul
        (f32x4.splat
         (f32.convert_i32_s
          (global.get $batch)
         )
        )
        (f32x4.splat
         (f32.const 2)
        )
       )
      )
     )
    )
    (v128.store offset=400 align=4
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32x4.div
      (f32x4.splat
       (f32.const 1)
      )
      (local.get $3)
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $0
       (i32.add
        (local.get $0)
        (i32.const 4)
       )
      )
      (i32.const 0)
     )
    )
   )
  )
  (block $block1
   (nop)
   (br_if $block1
    (i32.gt_u
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label1
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32.store offset=272
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32.div
      (f32.load
       (i32.const 384)
      )
      (local.tee $8
       (f32.mul
        (f32.convert_i32_s
         (global.get $batch)
        )
        (f32.const 2)
       )
      )
     )
    )
    (f32.store offset=400
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32.div
      (f32.const 1)
      (local.get $8)
     )
    )
    (nop)
    (br_if $label1
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
  )
 )
 (func $train_k5_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 f32)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
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
   (loop $label
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (v128.store offset=448 align=4
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32x4.add
      (local.tee $5
       (f32x4.mul
        (v128.load32_splat offset=400
         (i32.const 0)
        )
        (v128.load offset=416 align=4
         (i32.shl
          (local.get $0)
          (i32.const 2)
         )
        )
       )
      )
      (local.get $5)
     )
    )
    (nop)
    (br_if $label
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
  (block $block1
   (nop)
   (br_if $block1
    (i32.ge_s
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
   )
   (loop $label1
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32.store offset=448
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32.add
      (local.tee $10
       (f32.mul
        (f32.load
         (i32.const 400)
        )
        (f32.load offset=416
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
    (nop)
    (br_if $label1
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
 (func $train_k6_reduce
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_u
     (local.tee $1
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label1
    (local.set $2
     (f32x4.splat
      (f32.const 0)
     )
    )
    (block $block1
     (nop)
     (br_if $block1
      (i32.ge_s
       (local.tee $0
        (i32.const 0)
       )
       (global.get $batch)
      )
     )
     (loop $label
      (local.set $2
       (f32x4.add
        (local.get $2)
        (v128.load offset=448 align=4
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (br_if $label
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
    (v128.store offset=384 align=4
     (i32.shl
      (local.get $1)
      (i32.const 2)
     )
     (local.get $2)
    )
    (nop)
    (br_if $label1
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
        (i32.const 4)
       )
      )
      (i32.const 0)
     )
    )
   )
  )
  (block $block2
   (nop)
   (drop
    (local.tee $1
     (i32.const 0)
    )
   )
   (br_if $block2
    (i32.const 0)
   )
   (loop $label3
    (local.set $3
     (f32.const 0)
    )
    (block $block3
     (nop)
     (br_if $block3
      (i32.ge_s
       (local.tee $0
        (i32.const 0)
       )
       (global.get $batch)
      )
     )
     (loop $label2
      (local.set $3
       (f32.add
        (local.get $3)
        (f32.load offset=448
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (br_if $label2
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
    (f32.store offset=384
     (i32.shl
      (local.get $1)
      (i32.const 2)
     )
     (local.get $3)
    )
    (nop)
    (br_if $label3
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
        (i32.const 1)
       )
      )
      (i32.const 2)
     )
    )
   )
  )
 )
 (func $train_k8_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 f32)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_u
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (v128.store offset=208 align=4
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32x4.sub
      (v128.load offset=208 align=4
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (f32x4.mul
       (v128.load offset=384 align=4
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (v128.load32_splat offset=256
        (i32.const 0)
       )
      )
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $0
       (i32.add
        (local.get $0)
        (i32.const 4)
       )
      )
      (i32.const 0)
     )
    )
   )
  )
  (block $block1
   (nop)
   (drop
    (local.tee $0
     (i32.const 0)
    )
   )
   (br_if $block1
    (i32.const 0)
   )
   (loop $label1
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
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
       (f32.load offset=384
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (f32.load
        (i32.const 256)
       )
      )
     )
    )
    (nop)
    (br_if $label1
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
  )
 )
 (func $train_k9_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local $54 v128)
  (local $55 v128)
  (local $56 v128)
  (local $57 v128)
  (local $58 v128)
  (local $59 v128)
  (local $60 v128)
  (local $61 v128)
  (local $62 v128)
  (local $63 v128)
  (local $64 v128)
  (local $65 v128)
  (local $66 v128)
  (local $67 v128)
  (local $68 v128)
  (local $69 v128)
  (local $70 v128)
  (local $71 v128)
  (local $72 v128)
  (local $73 v128)
  (local $74 v128)
  (local $75 v128)
  (local $76 v128)
  (local $77 v128)
  (local $78 v128)
  (local $79 v128)
  (local $80 v128)
  (local $81 v128)
  (local $82 v128)
  (local $83 v128)
  (local.set $0
   (global.get $batch)
  )
  (nop)
  (local.set $8
   (i32.const 480)
  )
  (local.set $10
   (i32.const 176)
  )
  (nop)
  (nop)
  (block $block
   (br_if $block
    (i32.ge_s
     (local.tee $11
      (i32.const 544)
     )
     (local.tee $12
      (i32.const 544)
     )
    )
   )
   (loop $label
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (v128.store
     (local.get $11)
     (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (local.tee $17
       (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        (local.tee $13
         (v128.load align=4
          (local.get $10)
         )
        )
        (local.tee $14
         (v128.load offset=8 align=4
          (local.get $10)
         )
        )
       )
      )
      (local.tee $19
       (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
        (local.tee $15
         (v128.load offset=16 align=4
          (local.get $10)
         )
        )
        (local.tee $16
         (v128.load offset=24 align=4
          (local.get $10)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16
     (local.get $11)
     (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      (local.get $17)
      (local.get $19)
     )
    )
    (v128.store offset=32
     (local.get $11)
     (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (local.tee $18
       (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        (local.get $13)
        (local.get $14)
       )
      )
      (local.tee $20
       (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31
        (local.get $15)
        (local.get $16)
       )
      )
     )
    )
    (v128.store offset=48
     (local.get $11)
     (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31
      (local.get $18)
      (local.get $20)
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 16)
     )
    )
    (nop)
    (br_if $label
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.sub
        (local.get $11)
        (i32.const -64)
       )
      )
     )
    )
   )
  )
  (nop)
  (block $block1
   (br_if $block1
    (i32.le_s
     (local.tee $12
      (i32.const 576)
     )
     (local.get $11)
    )
   )
   (loop $label1
    (v128.store
     (local.get $11)
     (f32x4.replace_lane 3
      (f32x4.replace_lane 2
       (f32x4.replace_lane 1
        (f32x4.splat
         (f32.load
          (local.get $10)
         )
        )
        (f32.load offset=8
         (local.get $10)
        )
       )
       (f32.load offset=16
        (local.get $10)
       )
      )
      (f32.load offset=24
       (local.get $10)
      )
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 4)
     )
    )
    (nop)
    (br_if $label1
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.add
        (local.get $11)
        (i32.const 16)
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i32.const 448)
  )
  (local.set $3
   (local.get $8)
  )
  (nop)
  (block $block2
   (br_if $block2
    (i32.lt_s
     (local.tee $6
      (local.get $0)
     )
     (i32.const 4)
    )
   )
   (loop $label3
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 576)
    )
    (loop $label2
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label2
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $13)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $25
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.sub
               (local.get $0)
               (local.get $6)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $25)
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $15)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $31
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 1)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $31)
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $17)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $37
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 2)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $37)
        )
       )
      )
     )
    )
    (v128.store offset=48 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $19)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $43
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 3)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $43)
        )
       )
      )
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 32)
     )
    )
    (local.set $3
     (i32.sub
      (local.get $3)
      (i32.const -64)
     )
    )
    (nop)
    (br_if $label3
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 576)
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $13)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $49
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.sub
               (local.get $0)
               (local.get $6)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $49)
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $15)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $55
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 1)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $55)
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $17)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $61
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 2)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $61)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 576)
    )
    (loop $label5
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label5
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $13)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $67
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.sub
               (local.get $0)
               (local.get $6)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $67)
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $15)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $73
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.add
               (i32.sub
                (local.get $0)
                (local.get $6)
               )
               (i32.const 1)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $73)
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (local.set $5
     (i32.const 576)
    )
    (loop $label6
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label6
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.mul
       (local.get $13)
       (f32x4.sub
        (f32x4.splat
         (f32.const 1)
        )
        (f32x4.mul
         (local.tee $79
          (v128.load offset=320 align=4
           (i32.shl
            (i32.add
             (i32.shl
              (i32.sub
               (local.get $0)
               (local.get $6)
              )
              (i32.const 2)
             )
             (i32.shr_s
              (i32.sub
               (local.get $8)
               (i32.const 480)
              )
              (i32.const 2)
             )
            )
            (i32.const 2)
           )
          )
         )
         (local.get $79)
        )
       )
      )
     )
    )
   )
  )
 )
 (func $train_k10_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (nop)
  (nop)
  (local.set $8
   (i32.const 176)
  )
  (local.set $10
   (i32.const 448)
  )
  (nop)
  (nop)
  (block $block
   (br_if $block
    (i32.ge_s
     (local.tee $11
      (i32.const 544)
     )
     (local.tee $12
      (i32.add
       (i32.shl
        (local.tee $0
         (global.get $batch)
        )
        (i32.const 4)
       )
       (i32.const 544)
      )
     )
    )
   )
   (loop $label
    (v128.store
     (local.get $11)
     (f32x4.replace_lane 3
      (f32x4.replace_lane 2
       (f32x4.replace_lane 1
        (f32x4.splat
         (f32.load
          (local.get $10)
         )
        )
        (f32.load offset=4
         (local.get $10)
        )
       )
       (f32.const 0)
      )
      (f32.const 0)
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 8)
     )
    )
    (nop)
    (br_if $label
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.add
        (local.get $11)
        (i32.const 16)
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i32.const 320)
  )
  (local.set $3
   (local.get $8)
  )
  (nop)
  (block $block1
   (br_if $block1
    (i32.lt_u
     (local.tee $6
      (i32.const 4)
     )
     (i32.const 4)
    )
   )
   (loop $label2
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 544)
    )
    (if
     (i32.ge_s
      (local.get $0)
      (i32.const 2)
     )
     (then
      (local.set $5
       (i32.add
        (i32.shl
         (i32.shr_s
          (local.get $0)
          (i32.const 1)
         )
         (i32.const 5)
        )
        (i32.const 544)
       )
      )
      (loop $label1
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat
           (local.get $1)
          )
          (local.tee $21
           (v128.load
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=4
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=8
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (local.set $19
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=12
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $19)
        )
       )
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=16
           (local.get $1)
          )
          (local.tee $21
           (v128.load offset=16
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=20
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=24
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (local.set $19
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=28
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $19)
        )
       )
       (nop)
       (local.set $1
        (i32.add
         (local.get $1)
         (i32.const 32)
        )
       )
       (br_if $label1
        (i32.gt_s
         (local.get $5)
         (local.tee $4
          (i32.add
           (local.get $4)
           (i32.const 32)
          )
         )
        )
       )
      )
     )
    )
    (local.set $19
     (if (result v128)
      (i32.and
       (local.get $0)
       (i32.const 1)
      )
      (then
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat
           (local.get $1)
          )
          (local.tee $21
           (v128.load
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=4
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=8
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (nop)
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=12
          (local.get $1)
         )
         (local.get $21)
        )
        (local.get $19)
       )
      )
      (else
       (local.get $19)
      )
     )
    )
    (nop)
    (f32.store
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $13
        (f32x4.sub
         (v128.load offset=176 align=4
          (i32.shl
           (i32.add
            (i32.shl
             (i32.sub
              (i32.const 4)
              (local.get $6)
             )
             (i32.const 1)
            )
            (i32.shr_s
             (i32.sub
              (local.get $8)
              (i32.const 176)
             )
             (i32.const 2)
            )
           )
           (i32.const 2)
          )
         )
         (f32x4.mul
          (local.get $13)
          (v128.load32_splat offset=256
           (i32.const 0)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (nop)
    (f32.store offset=8
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $15
        (f32x4.sub
         (v128.load offset=176 align=4
          (i32.shl
           (i32.add
            (i32.shl
             (i32.sub
              (i32.const 5)
              (local.get $6)
             )
             (i32.const 1)
            )
            (i32.shr_s
             (i32.sub
              (local.get $8)
              (i32.const 176)
             )
             (i32.const 2)
            )
           )
           (i32.const 2)
          )
         )
         (f32x4.mul
          (local.get $15)
          (v128.load32_splat offset=256
           (i32.const 0)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (nop)
    (f32.store offset=16
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $17
        (f32x4.sub
         (v128.load offset=176 align=4
          (i32.shl
           (i32.add
            (i32.shl
             (i32.sub
              (i32.const 6)
              (local.get $6)
             )
             (i32.const 1)
            )
            (i32.shr_s
             (i32.sub
              (local.get $8)
              (i32.const 176)
             )
             (i32.const 2)
            )
           )
           (i32.const 2)
          )
         )
         (f32x4.mul
          (local.get $17)
          (v128.load32_splat offset=256
           (i32.const 0)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
    (nop)
    (f32.store offset=24
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $19
        (f32x4.sub
         (v128.load offset=176 align=4
          (i32.shl
           (i32.add
            (i32.shl
             (i32.sub
              (i32.const 7)
              (local.get $6)
             )
             (i32.const 1)
            )
            (i32.shr_s
             (i32.sub
              (local.get $8)
              (i32.const 176)
             )
             (i32.const 2)
            )
           )
           (i32.const 2)
          )
         )
         (f32x4.mul
          (local.get $19)
          (v128.load32_splat offset=256
           (i32.const 0)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=28
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $19)
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 16)
     )
    )
    (local.set $3
     (i32.add
      (local.get $3)
      (i32.const 32)
     )
    )
    (nop)
    (br_if $label2
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
 )
 (func $train_k11_reduce
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 f32)
  (block $block
   (nop)
   (drop
    (local.tee $1
     (i32.const 0)
    )
   )
   (br_if $block
    (i32.const 0)
   )
   (loop $label1
    (local.set $2
     (f32x4.splat
      (f32.const 0)
     )
    )
    (block $block1
     (nop)
     (br_if $block1
      (i32.ge_s
       (local.tee $0
        (i32.const 0)
       )
       (global.get $batch)
      )
     )
     (loop $label
      (local.set $2
       (f32x4.add
        (local.get $2)
        (v128.load offset=480 align=4
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (br_if $label
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
    (v128.store offset=400 align=4
     (i32.shl
      (local.get $1)
      (i32.const 2)
     )
     (local.get $2)
    )
    (nop)
    (br_if $label1
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (block $block2
   (nop)
   (br_if $block2
    (i32.ge_u
     (local.tee $1
      (i32.const 4)
     )
     (i32.const 4)
    )
   )
   (loop $label3
    (local.set $3
     (f32.const 0)
    )
    (block $block3
     (nop)
     (br_if $block3
      (i32.ge_s
       (local.tee $0
        (i32.const 0)
       )
       (global.get $batch)
      )
     )
     (loop $label2
      (local.set $3
       (f32.add
        (local.get $3)
        (f32.load offset=480
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 2)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (br_if $label2
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
    (f32.store offset=400
     (i32.shl
      (local.get $1)
      (i32.const 2)
     )
     (local.get $3)
    )
    (nop)
    (br_if $label3
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
        (i32.const 1)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
 )
 (func $train_k13_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 f32)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
     )
     (i32.and
      (i32.const 4)
      (i32.const -4)
     )
    )
   )
   (loop $label
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
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
       (v128.load offset=400 align=4
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (v128.load32_splat offset=256
        (i32.const 0)
       )
      )
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $0
       (i32.add
        (local.get $0)
        (i32.const 4)
       )
      )
      (i32.and
       (i32.const 4)
       (i32.const -4)
      )
     )
    )
   )
  )
  (block $block1
   (nop)
   (br_if $block1
    (i32.ge_u
     (local.tee $0
      (i32.and
       (i32.const 4)
       (i32.const -4)
      )
     )
     (i32.const 4)
    )
   )
   (loop $label1
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32.store offset=160
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32.sub
      (f32.load offset=160
       (i32.shl
        (local.get $0)
        (i32.const 2)
       )
      )
      (f32.mul
       (f32.load offset=400
        (i32.shl
         (local.get $0)
         (i32.const 2)
        )
       )
       (f32.load
        (i32.const 256)
       )
      )
     )
    )
    (nop)
    (br_if $label1
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
 (func $train_k14_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local $54 v128)
  (local $55 v128)
  (local $56 v128)
  (local $57 v128)
  (local $58 v128)
  (local.set $0
   (global.get $batch)
  )
  (local.set $7
   (i32.const 480)
  )
  (nop)
  (local.set $2
   (i32.const 64)
  )
  (local.set $3
   (local.tee $8
    (i32.const 112)
   )
  )
  (nop)
  (block $block
   (drop
    (local.tee $6
     (i32.const 3)
    )
   )
   (br_if $block
    (i32.const 1)
   )
   (loop $label1
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (local.get $7)
    )
    (if
     (i32.ge_s
      (local.get $0)
      (i32.const 2)
     )
     (then
      (local.set $5
       (i32.add
        (i32.shl
         (i32.shr_s
          (local.get $0)
          (i32.const 1)
         )
         (i32.const 5)
        )
        (local.get $4)
       )
      )
      (loop $label
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat
           (local.get $1)
          )
          (local.tee $21
           (v128.load
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=4
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=8
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (local.set $19
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=12
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $19)
        )
       )
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=12
           (local.get $1)
          )
          (local.tee $21
           (v128.load offset=16
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=16
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=20
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (local.set $19
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=24
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $19)
        )
       )
       (nop)
       (local.set $1
        (i32.add
         (local.get $1)
         (i32.const 24)
        )
       )
       (br_if $label
        (i32.gt_s
         (local.get $5)
         (local.tee $4
          (i32.add
           (local.get $4)
           (i32.const 32)
          )
         )
        )
       )
      )
     )
    )
    (local.set $19
     (if (result v128)
      (i32.and
       (local.get $0)
       (i32.const 1)
      )
      (then
       (nop)
       (nop)
       (local.set $13
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat
           (local.get $1)
          )
          (local.tee $21
           (v128.load
            (local.get $4)
           )
          )
         )
         (local.get $13)
        )
       )
       (nop)
       (local.set $15
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=4
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $15)
        )
       )
       (nop)
       (local.set $17
        (f32x4.add
         (f32x4.mul
          (v128.load32_splat offset=8
           (local.get $1)
          )
          (local.get $21)
         )
         (local.get $17)
        )
       )
       (nop)
       (nop)
       (f32x4.add
        (f32x4.mul
         (v128.load32_splat offset=12
          (local.get $1)
         )
         (local.get $21)
        )
        (local.get $19)
       )
      )
      (else
       (local.get $19)
      )
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.sub
       (v128.load offset=112 align=4
        (i32.shl
         (i32.add
          (i32.shl
           (i32.sub
            (i32.const 3)
            (local.get $6)
           )
           (i32.const 2)
          )
          (i32.shr_s
           (i32.sub
            (local.get $8)
            (i32.const 112)
           )
           (i32.const 2)
          )
         )
         (i32.const 2)
        )
       )
       (f32x4.mul
        (local.get $13)
        (v128.load32_splat offset=256
         (i32.const 0)
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.sub
       (v128.load offset=112 align=4
        (i32.shl
         (i32.add
          (i32.shl
           (i32.sub
            (i32.const 4)
            (local.get $6)
           )
           (i32.const 2)
          )
          (i32.shr_s
           (i32.sub
            (local.get $8)
            (i32.const 112)
           )
           (i32.const 2)
          )
         )
         (i32.const 2)
        )
       )
       (f32x4.mul
        (local.get $15)
        (v128.load32_splat offset=256
         (i32.const 0)
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.sub
       (v128.load offset=112 align=4
        (i32.shl
         (i32.add
          (i32.shl
           (i32.sub
            (i32.const 5)
            (local.get $6)
           )
           (i32.const 2)
          )
          (i32.shr_s
           (i32.sub
            (local.get $8)
            (i32.const 112)
           )
           (i32.const 2)
          )
         )
         (i32.const 2)
        )
       )
       (f32x4.mul
        (local.get $17)
        (v128.load32_splat offset=256
         (i32.const 0)
        )
       )
      )
     )
    )
    (v128.store offset=48 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (nop)
      (f32x4.sub
       (v128.load offset=112 align=4
        (i32.shl
         (i32.add
          (i32.shl
           (i32.sub
            (i32.const 6)
            (local.get $6)
           )
           (i32.const 2)
          )
          (i32.shr_s
           (i32.sub
            (local.get $8)
            (i32.const 112)
           )
           (i32.const 2)
          )
         )
         (i32.const 2)
        )
       )
       (f32x4.mul
        (local.get $19)
        (v128.load32_splat offset=256
         (i32.const 0)
        )
       )
      )
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 16)
     )
    )
    (local.set $3
     (i32.sub
      (local.get $3)
      (i32.const -64)
     )
    )
    (nop)
    (br_if $label1
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (local.set $13
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $15
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $17
   (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
  )
  (local.set $1
   (local.get $2)
  )
  (local.set $4
   (local.get $7)
  )
  (if
   (i32.ge_s
    (local.get $0)
    (i32.const 2)
   )
   (then
    (local.set $5
     (i32.add
      (i32.shl
       (i32.shr_s
        (local.get $0)
        (i32.const 1)
       )
       (i32.const 5)
      )
      (local.get $4)
     )
    )
    (loop $label2
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=8
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 24)
      )
     )
     (br_if $label2
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
   )
  )
  (local.set $17
   (if (result v128)
    (i32.and
     (local.get $0)
     (i32.const 1)
    )
    (then
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=8
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (else
     (local.get $17)
    )
   )
  )
  (v128.store align=4
   (local.get $3)
   (block (result v128)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32x4.sub
     (v128.load offset=112 align=4
      (i32.shl
       (i32.add
        (i32.shl
         (i32.sub
          (i32.const 3)
          (local.get $6)
         )
         (i32.const 2)
        )
        (i32.shr_s
         (i32.sub
          (local.get $8)
          (i32.const 112)
         )
         (i32.const 2)
        )
       )
       (i32.const 2)
      )
     )
     (f32x4.mul
      (local.get $13)
      (v128.load32_splat offset=256
       (i32.const 0)
      )
     )
    )
   )
  )
  (v128.store offset=16 align=4
   (local.get $3)
   (block (result v128)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32x4.sub
     (v128.load offset=112 align=4
      (i32.shl
       (i32.add
        (i32.shl
         (i32.sub
          (i32.const 4)
          (local.get $6)
         )
         (i32.const 2)
        )
        (i32.shr_s
         (i32.sub
          (local.get $8)
          (i32.const 112)
         )
         (i32.const 2)
        )
       )
       (i32.const 2)
      )
     )
     (f32x4.mul
      (local.get $15)
      (v128.load32_splat offset=256
       (i32.const 0)
      )
     )
    )
   )
  )
  (v128.store offset=32 align=4
   (local.get $3)
   (block (result v128)
    (nop)
    (nop)
    (nop)
    (nop)
    (nop)
    (f32x4.sub
     (v128.load offset=112 align=4
      (i32.shl
       (i32.add
        (i32.shl
         (i32.sub
          (i32.const 5)
          (local.get $6)
         )
         (i32.const 2)
        )
        (i32.shr_s
         (i32.sub
          (local.get $8)
          (i32.const 112)
         )
         (i32.const 2)
        )
       )
       (i32.const 2)
      )
     )
     (f32x4.mul
      (local.get $17)
      (v128.load32_splat offset=256
       (i32.const 0)
      )
     )
    )
   )
  )
 )
 (func $train (param $0 i32) (result f32)
  (global.set $batch
   (local.get $0)
  )
  (call $train_k0_matmul)
  (call $train_k1_matmul)
  (call $train_k2_elementwise)
  (call $train_k3_reduce)
  (call $train_k4_elementwise)
  (call $train_k5_elementwise)
  (call $train_k6_reduce)
  (call $train_k8_elementwise)
  (call $train_k9_matmul)
  (call $train_k10_matmul)
  (call $train_k11_reduce)
  (call $train_k13_elementwise)
  (call $train_k14_matmul)
  (return
   (f32.load
    (i32.const 272)
   )
  )
 )
 (func $evaluate_k0_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local $54 v128)
  (local $55 v128)
  (local $56 v128)
  (local $57 v128)
  (local $58 v128)
  (local $59 v128)
  (local $60 v128)
  (local $61 v128)
  (local $62 v128)
  (local $63 v128)
  (nop)
  (local.set $7
   (i32.const 112)
  )
  (nop)
  (local.set $2
   (i32.const 64)
  )
  (local.set $3
   (local.tee $8
    (i32.const 320)
   )
  )
  (nop)
  (block $block
   (br_if $block
    (i32.lt_s
     (local.tee $6
      (global.get $batch)
     )
     (i32.const 4)
    )
   )
   (loop $label1
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=40
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (nop)
    (local.set $19
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=36
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $19)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=48 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $19)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 48)
     )
    )
    (local.set $3
     (i32.sub
      (local.get $3)
      (i32.const -64)
     )
    )
    (nop)
    (br_if $label1
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label2
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label2
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (nop)
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.tee $13
         (f32x4.add
          (f32x4.mul
           (v128.load32_splat
            (local.get $1)
           )
           (local.tee $21
            (v128.load
             (local.get $4)
            )
           )
          )
          (local.get $13)
         )
        )
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
 )
 (func $evaluate_k1_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local.set $0
   (global.get $batch)
  )
  (nop)
  (local.set $8
   (i32.const 384)
  )
  (local.set $10
   (i32.const 176)
  )
  (nop)
  (nop)
  (block $block
   (br_if $block
    (i32.ge_s
     (local.tee $11
      (i32.const 416)
     )
     (local.tee $12
      (i32.const 480)
     )
    )
   )
   (loop $label
    (v128.store
     (local.get $11)
     (f32x4.replace_lane 3
      (f32x4.replace_lane 2
       (f32x4.replace_lane 1
        (f32x4.splat
         (f32.load
          (local.get $10)
         )
        )
        (f32.load offset=4
         (local.get $10)
        )
       )
       (f32.const 0)
      )
      (f32.const 0)
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 8)
     )
    )
    (nop)
    (br_if $label
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.add
        (local.get $11)
        (i32.const 16)
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i32.const 320)
  )
  (local.set $3
   (local.get $8)
  )
  (nop)
  (block $block1
   (br_if $block1
    (i32.lt_s
     (local.tee $6
      (local.get $0)
     )
     (i32.const 4)
    )
   )
   (loop $label2
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 416)
    )
    (local.set $5
     (i32.const 480)
    )
    (loop $label1
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=48
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=52
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label1
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (f32.store offset=16
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $17)
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
    (f32.store offset=24
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $19)
     )
    )
    (f32.store offset=28
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $19)
     )
    )
    (local.set $2
     (i32.sub
      (local.get $2)
      (i32.const -64)
     )
    )
    (local.set $3
     (i32.add
      (local.get $3)
      (i32.const 32)
     )
    )
    (nop)
    (br_if $label2
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 416)
    )
    (local.set $5
     (i32.const 480)
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (f32.store offset=16
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $17)
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 416)
    )
    (local.set $5
     (i32.const 480)
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (f32.store offset=8
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $15)
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 416)
    )
    (local.set $5
     (i32.const 480)
    )
    (loop $label5
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label5
      (i32.gt_s
       (local.get $5)
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
     (local.get $3)
     (f32x4.extract_lane 0
      (local.get $13)
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
   )
  )
 )
 (func $evaluate_k2_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 v128)
  (local $6 v128)
  (local $7 v128)
  (local $8 f32)
  (local $9 f32)
  (local $10 f32)
  (local $11 f32)
  (local $12 f32)
  (local $13 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $0
      (i32.const 0)
     )
     (global.get $batch)
    )
   )
   (loop $label2
    (block $block1
     (nop)
     (br_if $block1
      (i32.ge_u
       (local.tee $1
        (i32.const 0)
       )
       (i32.const 0)
      )
     )
     (loop $label
      (nop)
      (nop)
      (nop)
      (nop)
      (local.set $6
       (f32x4.sub
        (local.tee $5
         (f32x4.add
          (v128.load offset=384 align=4
           (i32.shl
            (i32.add
             (local.get $1)
             (i32.shl
              (local.get $0)
              (i32.const 1)
             )
            )
            (i32.const 2)
           )
          )
          (v128.load offset=208 align=4
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
          )
         )
        )
        (v128.load offset=224 align=4
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (v128.store offset=288 align=4
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $5)
      )
      (v128.store offset=320 align=4
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (f32x4.mul
        (local.get $6)
        (local.get $6)
       )
      )
      (nop)
      (br_if $label
       (i32.lt_s
        (local.tee $1
         (i32.add
          (local.get $1)
          (i32.const 4)
         )
        )
        (i32.const 0)
       )
      )
     )
    )
    (block $block2
     (nop)
     (drop
      (local.tee $1
       (i32.const 0)
      )
     )
     (br_if $block2
      (i32.const 0)
     )
     (loop $label1
      (nop)
      (nop)
      (nop)
      (nop)
      (local.set $12
       (f32.sub
        (local.tee $11
         (f32.add
          (f32.load offset=384
           (i32.shl
            (i32.add
             (local.get $1)
             (i32.shl
              (local.get $0)
              (i32.const 1)
             )
            )
            (i32.const 2)
           )
          )
          (f32.load offset=208
           (i32.shl
            (local.get $1)
            (i32.const 2)
           )
          )
         )
        )
        (f32.load offset=224
         (i32.shl
          (i32.add
           (local.get $1)
           (i32.shl
            (local.get $0)
            (i32.const 1)
           )
          )
          (i32.const 2)
         )
        )
       )
      )
      (nop)
      (f32.store offset=288
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (local.get $11)
      )
      (f32.store offset=320
       (i32.shl
        (i32.add
         (local.get $1)
         (i32.shl
          (local.get $0)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
       (f32.mul
        (local.get $12)
        (local.get $12)
       )
      )
      (nop)
      (br_if $label1
       (i32.lt_s
        (local.tee $1
         (i32.add
          (local.get $1)
          (i32.const 1)
         )
        )
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label2
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
 (func $evaluate_k3_reduce
  (local $0 f32)
  (local $1 i32)
  (local $2 v128)
  (local.set $2
   (f32x4.splat
    (f32.const 0)
   )
  )
  (block $block
   (nop)
   (br_if $block
    (i32.ge_s
     (local.tee $1
      (i32.const 0)
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
   (loop $label
    (local.set $2
     (f32x4.add
      (local.get $2)
      (v128.load offset=320 align=4
       (i32.shl
        (local.get $1)
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
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
  (local.set $0
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
  (block $block1
   (nop)
   (br_if $block1
    (i32.ge_s
     (local.tee $1
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
   )
   (loop $label1
    (local.set $0
     (f32.add
      (local.get $0)
      (f32.load offset=320
       (i32.shl
        (local.get $1)
        (i32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label1
     (i32.lt_s
      (local.tee $1
       (i32.add
        (local.get $1)
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
  (f32.store
   (i32.const 352)
   (local.get $0)
  )
 )
 (func $evaluate_k4_elementwise
  (local $0 i32)
  (local $1 i32)
  (local $2 v128)
  (local $3 v128)
  (local $4 v128)
  (local $5 f32)
  (local $6 f32)
  (local $7 f32)
  (block $block
   (nop)
   (br_if $block
    (i32.ge_u
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label
    (nop)
    (nop)
    (nop)
    (v128.store offset=272 align=4
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32x4.div
      (v128.load32_splat offset=352
       (i32.const 0)
      )
      (f32x4.mul
       (f32x4.splat
        (f32.convert_i32_s
         (global.get $batch)
        )
       )
       (f32x4.splat
        (f32.const 2)
       )
      )
     )
    )
    (nop)
    (br_if $label
     (i32.lt_s
      (local.tee $0
       (i32.add
        (local.get $0)
        (i32.const 4)
       )
      )
      (i32.const 0)
     )
    )
   )
  )
  (block $block1
   (nop)
   (br_if $block1
    (i32.gt_u
     (local.tee $0
      (i32.const 0)
     )
     (i32.const 0)
    )
   )
   (loop $label1
    (nop)
    (nop)
    (nop)
    (f32.store offset=272
     (i32.shl
      (local.get $0)
      (i32.const 2)
     )
     (f32.div
      (f32.load
       (i32.const 352)
      )
      (f32.mul
       (f32.convert_i32_s
        (global.get $batch)
       )
       (f32.const 2)
      )
     )
    )
    (nop)
    (br_if $label1
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
  )
 )
 (func $evaluate (param $0 i32) (result f32)
  (global.set $batch
   (local.get $0)
  )
  (call $evaluate_k0_matmul)
  (call $evaluate_k1_matmul)
  (call $evaluate_k2_elementwise)
  (call $evaluate_k3_reduce)
  (call $evaluate_k4_elementwise)
  (return
   (f32.load
    (i32.const 272)
   )
  )
 )
 (func $predict_k0_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local $54 v128)
  (local $55 v128)
  (local $56 v128)
  (local $57 v128)
  (local $58 v128)
  (local $59 v128)
  (local $60 v128)
  (local $61 v128)
  (local $62 v128)
  (local $63 v128)
  (nop)
  (local.set $7
   (i32.const 112)
  )
  (nop)
  (local.set $2
   (i32.const 64)
  )
  (local.set $3
   (local.tee $8
    (i32.const 320)
   )
  )
  (nop)
  (block $block
   (br_if $block
    (i32.lt_s
     (local.tee $6
      (global.get $batch)
     )
     (i32.const 4)
    )
   )
   (loop $label1
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=40
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (nop)
    (local.set $19
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=36
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $19)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=48 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $19)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (local.set $2
     (i32.add
      (local.get $2)
      (i32.const 48)
     )
    )
    (local.set $3
     (i32.sub
      (local.get $3)
      (i32.const -64)
     )
    )
    (nop)
    (br_if $label1
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label2
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=24
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=28
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label2
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (nop)
    (local.set $17
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=24
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $17)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=32 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $17)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=12
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (local.set $13
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat
        (local.get $1)
       )
       (local.tee $21
        (v128.load
         (local.get $4)
        )
       )
      )
      (local.get $13)
     )
    )
    (nop)
    (local.set $15
     (f32x4.add
      (f32x4.mul
       (v128.load32_splat offset=12
        (local.get $1)
       )
       (local.get $21)
      )
      (local.get $15)
     )
    )
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $13)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
    (v128.store offset=16 align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.get $15)
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (nop)
    (local.set $5
     (i32.add
      (local.tee $4
       (local.get $7)
      )
      (i32.const 32)
     )
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (nop)
    (nop)
    (v128.store align=4
     (local.get $3)
     (block (result v128)
      (nop)
      (nop)
      (nop)
      (nop)
      (call $tanh_f32x4
       (f32x4.add
        (local.tee $13
         (f32x4.add
          (f32x4.mul
           (v128.load32_splat
            (local.get $1)
           )
           (local.tee $21
            (v128.load
             (local.get $4)
            )
           )
          )
          (local.get $13)
         )
        )
        (v128.load offset=160 align=4
         (i32.and
          (i32.sub
           (local.get $8)
           (i32.const 320)
          )
          (i32.const -4)
         )
        )
       )
      )
     )
    )
   )
  )
 )
 (func $predict_k1_matmul
  (local $0 i32)
  (local $1 i32)
  (local $2 i32)
  (local $3 i32)
  (local $4 i32)
  (local $5 i32)
  (local $6 i32)
  (local $7 i32)
  (local $8 i32)
  (local $9 i32)
  (local $10 i32)
  (local $11 i32)
  (local $12 i32)
  (local $13 v128)
  (local $14 v128)
  (local $15 v128)
  (local $16 v128)
  (local $17 v128)
  (local $18 v128)
  (local $19 v128)
  (local $20 v128)
  (local $21 v128)
  (local $22 v128)
  (local $23 v128)
  (local $24 v128)
  (local $25 v128)
  (local $26 v128)
  (local $27 v128)
  (local $28 v128)
  (local $29 v128)
  (local $30 v128)
  (local $31 v128)
  (local $32 v128)
  (local $33 v128)
  (local $34 v128)
  (local $35 v128)
  (local $36 v128)
  (local $37 v128)
  (local $38 v128)
  (local $39 v128)
  (local $40 v128)
  (local $41 v128)
  (local $42 v128)
  (local $43 v128)
  (local $44 v128)
  (local $45 v128)
  (local $46 v128)
  (local $47 v128)
  (local $48 v128)
  (local $49 v128)
  (local $50 v128)
  (local $51 v128)
  (local $52 v128)
  (local $53 v128)
  (local.set $0
   (global.get $batch)
  )
  (nop)
  (local.set $8
   (i32.const 288)
  )
  (local.set $10
   (i32.const 176)
  )
  (nop)
  (nop)
  (block $block
   (br_if $block
    (i32.ge_s
     (local.tee $11
      (i32.const 384)
     )
     (local.tee $12
      (i32.const 448)
     )
    )
   )
   (loop $label
    (v128.store
     (local.get $11)
     (f32x4.replace_lane 3
      (f32x4.replace_lane 2
       (f32x4.replace_lane 1
        (f32x4.splat
         (f32.load
          (local.get $10)
         )
        )
        (f32.load offset=4
         (local.get $10)
        )
       )
       (f32.const 0)
      )
      (f32.const 0)
     )
    )
    (local.set $10
     (i32.add
      (local.get $10)
      (i32.const 8)
     )
    )
    (nop)
    (br_if $label
     (i32.gt_s
      (local.get $12)
      (local.tee $11
       (i32.add
        (local.get $11)
        (i32.const 16)
       )
      )
     )
    )
   )
  )
  (local.set $2
   (i32.const 320)
  )
  (local.set $3
   (local.get $8)
  )
  (nop)
  (block $block1
   (br_if $block1
    (i32.lt_s
     (local.tee $6
      (local.get $0)
     )
     (i32.const 4)
    )
   )
   (loop $label2
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $19
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 384)
    )
    (local.set $5
     (i32.const 448)
    )
    (loop $label1
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=48
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $19
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=52
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $19)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label1
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (f32.store
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $13
        (f32x4.add
         (local.get $13)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (nop)
    (f32.store offset=8
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $15
        (f32x4.add
         (local.get $15)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (nop)
    (f32.store offset=16
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $17
        (f32x4.add
         (local.get $17)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
    (nop)
    (f32.store offset=24
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $19
        (f32x4.add
         (local.get $19)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=28
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $19)
     )
    )
    (local.set $2
     (i32.sub
      (local.get $2)
      (i32.const -64)
     )
    )
    (local.set $3
     (i32.add
      (local.get $3)
      (i32.const 32)
     )
    )
    (nop)
    (br_if $label2
     (i32.ge_s
      (local.tee $6
       (i32.sub
        (local.get $6)
        (i32.const 4)
       )
      )
      (i32.const 4)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 3)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $17
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 384)
    )
    (local.set $5
     (i32.const 448)
    )
    (loop $label3
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=32
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $17
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=36
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $17)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label3
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (f32.store
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $13
        (f32x4.add
         (local.get $13)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (nop)
    (f32.store offset=8
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $15
        (f32x4.add
         (local.get $15)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
    (nop)
    (f32.store offset=16
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $17
        (f32x4.add
         (local.get $17)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=20
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $17)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 2)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $15
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 384)
    )
    (local.set $5
     (i32.const 448)
    )
    (loop $label4
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=16
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $15
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=20
         (local.get $1)
        )
        (local.get $21)
       )
       (local.get $15)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label4
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (f32.store
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $13
        (f32x4.add
         (local.get $13)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
    (nop)
    (f32.store offset=8
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $15
        (f32x4.add
         (local.get $15)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=12
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $15)
     )
    )
   )
  )
  (if
   (i32.eq
    (local.get $6)
    (i32.const 1)
   )
   (then
    (local.set $13
     (v128.const i32x4 0x00000000 0x00000000 0x00000000 0x00000000)
    )
    (local.set $1
     (local.get $2)
    )
    (local.set $4
     (i32.const 384)
    )
    (local.set $5
     (i32.const 448)
    )
    (loop $label5
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat
         (local.get $1)
        )
        (local.tee $21
         (v128.load
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (nop)
     (local.set $13
      (f32x4.add
       (f32x4.mul
        (v128.load32_splat offset=4
         (local.get $1)
        )
        (local.tee $21
         (v128.load offset=16
          (local.get $4)
         )
        )
       )
       (local.get $13)
      )
     )
     (nop)
     (local.set $1
      (i32.add
       (local.get $1)
       (i32.const 8)
      )
     )
     (br_if $label5
      (i32.gt_s
       (local.get $5)
       (local.tee $4
        (i32.add
         (local.get $4)
         (i32.const 32)
        )
       )
      )
     )
    )
    (nop)
    (f32.store
     (local.get $3)
     (block (result f32)
      (nop)
      (nop)
      (nop)
      (f32x4.extract_lane 0
       (local.tee $13
        (f32x4.add
         (local.get $13)
         (v128.load offset=208 align=4
          (i32.and
           (i32.sub
            (local.get $8)
            (i32.const 288)
           )
           (i32.const -4)
          )
         )
        )
       )
      )
     )
    )
    (f32.store offset=4
     (local.get $3)
     (f32x4.extract_lane 1
      (local.get $13)
     )
    )
   )
  )
 )
 (func $predict (param $0 i32)
  (global.set $batch
   (local.get $0)
  )
  (call $predict_k0_matmul)
  (call $predict_k1_matmul)
 )
)
