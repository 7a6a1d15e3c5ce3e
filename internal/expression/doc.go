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

/*
Package expression implements the TaskRouter expression language: the
SQL-like conditions of TaskQueue TargetWorkers, Workflow filter and target
expressions and skip_if. The controllers parse an expression to reject a bad
one before calling TaskRouter; the emulator parses, validates and evaluates
it to route tasks the way TaskRouter does.

# Grammar

In EBNF; keywords (AND, OR, NOT, IN, HAS, CONTAINS, true, false) are
case-insensitive, whitespace (space, tab, CR, LF) separates tokens, and an
empty expression is a syntax error:

	expression = disjunction .
	disjunction = conjunction { "OR" conjunction } .
	conjunction = primary { "AND" primary } .
	primary    = "(" disjunction ")" | comparison .
	comparison = operand ( "==" | "=" | "!=" | ">" | ">=" | "<" | "<=" | "CONTAINS" ) operand
	           | operand ( "HAS" | "->" ) ( operand | array )
	           | operand [ "NOT" ] "IN" ( key | array ) .
	operand    = key | constant .
	array      = "[" [ constant { "," constant } ] "]" .
	constant   = string | number | "true" | "false" .
	key        = name { "." name | "[" digit { digit } "]" } .
	name       = letter { letter | digit } .     (a lone keyword is not a key)
	letter     = "A" … "Z" | "a" … "z" | "_" .
	number     = [ "-" ] digit { digit } [ "." digit { digit } ] .
	string     = "'" { char | escape } "'" | `"` { char | escape } `"` .
	escape     = `\` ( `\` | "'" | `"` | "n" | "t" | "r" ) .

Hence comparison binds tighter than AND, and AND tighter than OR: "a == 1 OR
b == 2 AND c == 3" is "a == 1 OR (b == 2 AND c == 3)". Hyphens are not part
of names, as TaskRouter documents. Parentheses nest at most 64 deep.

# Values

A key is resolved against the context, a JSON-decoded attribute document
(map[string]any, []any, string, float64, bool, nil; int, int64 and
json.Number are accepted as numbers): "object.array[2]" is member "object",
member "array", element 2. A key that does not resolve - missing member,
index out of range, stepping into a non-object - is NULL, as is a JSON null.

# Operators

TaskRouter's documentation says only that comparisons of different types
"should be avoided" and that scalar operators compare non-arrays; the
remaining choices are ours, chosen so that a routing expression never
matches by accident:

  - == and = are equality, != its negation. NULL equals only NULL, so
    "missing == 'x'" is false and "missing != 'x'" is true. A number equals a
    string that spells the same decimal number ("08" == 8, since TaskRouter
    compares the string taskrouter.currentHour with numbers); strings compare
    case-sensitively, booleans only equal booleans.
  - > >= < <= compare numerically when either side is a number (the other
    may be a numeric string) and byte-wise when both are strings. NULL,
    booleans and any other mix are unordered: every ordering is false.
  - CONTAINS is substring: both sides must be strings ("email CONTAINS
    '@example.com'"); otherwise false.
  - Scalar operators (== = != > >= < <= CONTAINS) with an array or object on
    either side are false - != included.
  - HAS: the left side is an array holding the right value ("skills HAS
    'support'"); with an array on the right, holding at least one of its
    values. A non-array left side is false. "->" is accepted for HAS.
  - IN: the right side (an array literal or a key holding an array) holds
    the left value; a left array matches when any of its values is held.
    NOT IN is the negation of IN, so "missing NOT IN ['a']" is true.
  - Membership uses the equality above; NULL is a member of no array.
  - AND and OR short-circuit; "1 == 1" is the conventional always-true
    expression.

# Keys and prefixes

Keys lists the key paths an expression reads. ValidateKeys checks their
roots where the context has a fixed shape: "worker" and "task" in a workflow
target expression, "workers" in skip_if. Callers that support TaskRouter's
time-of-day keys add "taskrouter" to the allowed roots.

# Sort keys

ParseOrderBy parses a workflow target's order_by, "key [ASC|DESC], ...",
with keys lexed as above so its errors carry positions too; OrderBy's
ValidateKeys checks that each key starts with "worker.".

String renders the canonical form: keywords in upper case, "=" as "==",
"->" as "HAS", strings double-quoted, numbers in shortest decimal form and
nested AND/OR groups in parentheses. Parse(x.String()) yields an equivalent
expression.
*/
package expression
