/*
Copyright 2026 The taskrouter-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

package expression

import "testing"

// BenchmarkEvaluate measures a typical TargetWorkers expression against one
// worker: the emulator runs this per worker per queue on every routing pass.
func BenchmarkEvaluate(b *testing.B) {
	x, err := Parse("(skills HAS 'support') AND (language IN ['en', 'es', 'fr']) AND level >= 3 AND vip != false")
	if err != nil {
		b.Fatal(err)
	}
	worker := decode(b, workerAttributes)
	b.ReportAllocs()
	for b.Loop() {
		if !x.Evaluate(worker) {
			b.Fatal("the benchmark worker must match")
		}
	}
}

// BenchmarkParse measures parsing the same expression, which the emulator
// does once per queue or workflow update.
func BenchmarkParse(b *testing.B) {
	const src = "(skills HAS 'support') AND (language IN ['en', 'es', 'fr']) AND level >= 3 AND vip != false"
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(src); err != nil {
			b.Fatal(err)
		}
	}
}
