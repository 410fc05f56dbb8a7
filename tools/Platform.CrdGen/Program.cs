Console.WriteLine("crdgen");
